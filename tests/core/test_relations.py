"""The anime-relations table: its rules read, applied to a show's episodes, and a newer copy preferred."""

from __future__ import annotations

from pathlib import Path

from core.relations import FILE_NAME, SHIPPED, Redirection, parse_relations, relations_for

TABLE = """\
::meta
- last_modified: 2026-01-01
::rules
# Show -> Show 2nd Season
- 1|2|100:13-24 -> 3|4|200:1-12!
# Open-ended, the same entry
- ?|?|300:19-? -> ~|~|~:1-?
# Unknown AniList id: not usable
- 5|6|?:1-12 -> 7|8|?:13-24
- not a rule
"""


def test_rules_are_read_with_their_self_redirection() -> None:
    relations = parse_relations(TABLE)
    assert relations.modified == "2026-01-01"
    assert len(relations) == 3  # 100 -> 200, 200 -> 200 (the "!"), 300 -> 300
    assert relations.redirect(200, 13, 12).episode == 1  # type: ignore[union-attr]
    assert relations.redirect(200, 24, 12).rule == Redirection(100, 13, 24, 200, 1)  # type: ignore[union-attr]
    assert relations.redirect(300, 119, None).episode == 101  # type: ignore[union-attr]


def test_a_show_keeps_its_own_last_episodes_and_gives_up_the_next_entry_s() -> None:
    relations = parse_relations(TABLE)
    assert relations.redirect(200, 12, 12) is None  # its own episode 12, although the range says 13-24
    assert relations.redirect(200, 25, 12) is None  # past every rule
    given_up = relations.redirect(100, 13, 12)
    assert given_up is not None and given_up.episode is None and given_up.rule.target == 200
    assert relations.continues(200) and not relations.continues(100)


def test_the_shipped_table_is_used_and_a_newer_copy_in_the_data_folder_wins(tmp_path: Path) -> None:
    shipped = relations_for(tmp_path)
    assert SHIPPED.is_file() and len(shipped) > 500
    assert shipped.redirect(127366, 13, 12).episode == 1  # type: ignore[union-attr]
    (tmp_path / FILE_NAME).write_text(TABLE.replace("2026-01-01", "2000-01-01"), encoding="utf-8")
    assert relations_for(tmp_path).modified == shipped.modified  # an older copy is not used
    (tmp_path / FILE_NAME).write_text(TABLE.replace("2026-01-01", "2099-12-31") + "# newer\n", encoding="utf-8")
    newer = relations_for(tmp_path)
    assert newer.modified == "2099-12-31" and newer.redirect(127366, 13, 12) is None

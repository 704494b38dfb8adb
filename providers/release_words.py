"""The technical words of release names: codecs, sources, resolutions, audio, languages, tags."""

from __future__ import annotations

import re

TECHNICAL_WORD = re.compile(
    r"^(?:\d{3,4}[pi]|\d{3,4}[x×]\d{3,4}[pi]?|[248]k|uhd|fhd|hd|sd|hq|[hx]\.?26[45]|avc|hevc|av1|vp9|xvid|divx[\d.]*"
    r"|10[ -]?bits?|8[ -]?bits?|hi10p?|hi444p?|(?:he-?)?aac(?:x\d)?(?:\d\.\d)?|ac3|e?ac-?3|dts(?:-?(?:hd|es|ma))?"
    r"|flac(?:x\d)?|opus|mp3|ogg|vorbis|truehd(?:\d\.\d)?|ddp?\d?\.?\d?|dd\d\.\d|\d\.\dch|\dch|\d\.\d|x\d"
    r"|bd|bdrip|bd-?rip|blu-?ray|dvd|dvd-?rip|dvdscr|r2|web|web-?dl|web-?rip|hdtv|hdtvrip|tv|tvrip|remux|raw|raws"
    r"|sub|subs|softsubs?|hardsubs?|eng|english|jpn|jap|jp|ru|fr|multi(?:-?subs?)?|multiple|subtitles?|dual|audio"
    r"|dual-?audio|dub|dubbed|vostfr|vosta|vff?|batch|end|final|v\d|[0-9a-f]{8}|mkv|mp4|cr|amzn|nf|dsnp|hidive|b-?global|adn|weekly"
    r"|uncensored|uncut|chap|chapters|big5|gb|chs|cht)$",
    re.IGNORECASE,
)

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from providers import registry
from providers.base import Provider
from providers.registry import UnknownProvider, get_provider, provider_ids


@pytest.fixture
def fresh_registry() -> Iterator[None]:
    registry._classes.cache_clear()
    get_provider.cache_clear()
    yield
    registry._classes.cache_clear()
    get_provider.cache_clear()


@pytest.fixture
def installed_plugin(tmp_path: Path, fresh_registry: None) -> Iterator[None]:
    """A real third-party distribution on sys.path, registering providers by entry point."""
    (tmp_path / "tsuzuki_example_plugin.py").write_text(textwrap.dedent(
        """
        from providers.base import Listing, Provider

        class ExampleProvider(Provider):
            id = "example"
            name = "Example"
            description = "a provider from a plugin"

            def validate_url(self, url):
                return url

            def list_releases(self, url, validators=None):
                return Listing()

        class NotAProvider:
            pass
        """
    ))
    dist_info = tmp_path / "tsuzuki_example_plugin-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: tsuzuki-example-plugin\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text(textwrap.dedent(
        """
        [tsuzuki.providers]
        example = tsuzuki_example_plugin:ExampleProvider
        notaprovider = tsuzuki_example_plugin:NotAProvider
        broken = tsuzuki_example_plugin_missing:Nothing
        feed = tsuzuki_example_plugin:ExampleProvider
        """
    ))
    sys.path.insert(0, str(tmp_path))
    yield
    sys.path.remove(str(tmp_path))
    sys.modules.pop("tsuzuki_example_plugin", None)


@pytest.mark.parametrize("provider_id", ["feed", "directory", "ytdlp"])
def test_builtin_providers_are_registered(provider_id: str) -> None:
    provider = get_provider(provider_id)
    assert isinstance(provider, Provider) and provider.id == provider_id
    assert provider.name and provider.description
    assert get_provider(provider_id) is provider


def test_an_unknown_provider_names_the_known_ones() -> None:
    with pytest.raises(UnknownProvider, match="unknown provider 'torrentsite'; the providers are: directory, feed"):
        get_provider("torrentsite")


def test_plugins_register_through_entry_points(installed_plugin: None, caplog: pytest.LogCaptureFixture) -> None:
    assert provider_ids() == ["directory", "example", "feed", "ytdlp"]
    assert get_provider("example").description == "a provider from a plugin"
    assert get_provider("feed").name != "Example"  # a plugin cannot replace a built-in
    messages = caplog.text
    assert "'broken'" in messages and "could not be loaded" in messages
    assert "'notaprovider' ignored" in messages
    assert "'feed' ignored: a built-in provider has that id" in messages

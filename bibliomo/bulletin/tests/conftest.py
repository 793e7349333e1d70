import pytest


@pytest.fixture(autouse=True)
def _private_media(tmp_path, settings):
    """Uploaded files of each test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"

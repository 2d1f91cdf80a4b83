import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from tests.security.twofactor_helpers import START


@pytest.fixture
def client(client):
    # Tests here assert English messages; the site's default language is Chinese.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def english():
    """Messages checked in English (modules opt in with usefixtures; some check the Chinese)."""
    with translation.override("en"):
        yield


@pytest.fixture
def clock():
    """A frozen clock at START that tests move forward (TOTP steps, idle and re-auth windows)."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller

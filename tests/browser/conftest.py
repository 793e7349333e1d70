"""Fixtures the browser tests borrow from the apps' own tests."""

from bibliomo.events.tests.conftest import make_event  # noqa: F401
from bibliomo.exchange.tests.conftest import district_fund  # noqa: F401

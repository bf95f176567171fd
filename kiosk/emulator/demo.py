"""A fresh data folder's contents: the demo account and the people of ``assets/people.json``."""

from __future__ import annotations

import json
import logging
import secrets
from pathlib import Path

from kiosk.emulator.store import Account, Store

log = logging.getLogger("kiosk.emulator")

DEMO_APPID = "1000001"
DEMO_SECRET_ID = "AKIDkioskEmulatorDemo0000000000000"
SEEDED = "seeded"


def ensure_demo(store: Store, assets: Path | None) -> Account:
    """Create the demo account and enroll the sample people once; return the demo account.

    The demo secret key is random per data folder (an emulator reachable on a network must not
    accept a key printed in every copy of the documentation). The sample people go into an empty
    registry only, and never replace anyone: a person enrolled before the first start (the
    document's example ID number is a likely choice) keeps their name and photo.
    """
    account = store.account(DEMO_SECRET_ID)
    if account is None:
        store.add_account(DEMO_APPID, DEMO_SECRET_ID, secrets.token_hex(16))
        account = store.account(DEMO_SECRET_ID)
        assert account is not None
    if store.get_meta(SEEDED) is None:
        enrolled = 0
        if assets is not None and store.people_count() == 0:
            enrolled = enroll_samples(store, assets)
        elif assets is not None:
            log.info("sample people not enrolled: the registry holds %d people already",
                     store.people_count())
        store.set_meta(SEEDED, str(enrolled))
    return account


def enroll_samples(store: Store, assets: Path) -> int:
    """Enroll the people of ``assets/people.json`` whose ID number is free; how many were added."""
    index = assets / "people.json"
    try:
        people = json.loads(index.read_text(encoding="utf-8"))["people"]
    except (OSError, ValueError, KeyError) as exc:
        log.warning("no sample people enrolled: %s is not readable (%s)", index, exc)
        return 0
    count = 0
    for entry in people:
        try:
            photo = (assets / entry["photo"]).read_bytes()
            count += store.enroll(entry["id_number"], entry["name"], photo, replace=False)
        except (OSError, KeyError, TypeError) as exc:
            log.warning("sample person %r not enrolled: %s", entry.get("key"), exc)
    return count

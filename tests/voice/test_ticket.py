"""Ticket codes: unambiguous, checked, forgiving when typed."""

from __future__ import annotations

import re

import pytest

from kiosk.voice.ticket import ALPHABET, new_ticket, parse_ticket


def test_new_tickets_are_short_unambiguous_and_valid():
    tickets = {new_ticket() for _ in range(2000)}
    assert len(tickets) == 2000
    for ticket in tickets:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", ticket)
        assert parse_ticket(ticket) == ticket
    assert not set("ILOU") & set(ALPHABET)


def test_typing_is_forgiving():
    ticket = new_ticket()
    plain = ticket.replace("-", "")
    assert parse_ticket(f"  {plain.lower()} ") == ticket
    assert parse_ticket(f"{plain[:4]} {plain[4:]}") == ticket
    lookalike = ticket.replace("0", "O").replace("1", "I")
    assert parse_ticket(lookalike) == ticket


def test_every_single_wrong_character_is_caught():
    ticket = new_ticket().replace("-", "")
    for position in range(len(ticket)):
        for char in ALPHABET:
            if char != ticket[position]:
                typo = ticket[:position] + char + ticket[position + 1 :]
                assert parse_ticket(typo) is None, typo


@pytest.mark.parametrize("text", ["", "ABC", "ABCD-EFGH-J", "ABCD-EFG!", "ÀBCD-EFGH"])
def test_malformed_codes(text):
    assert parse_ticket(text) is None

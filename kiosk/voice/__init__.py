"""What residents say back, on the kiosk: forms, tickets, demand counts, complaint statuses.

- :mod:`.skm`        the SKM survey's element keys and answer fields (PermenPANRB 14/2017)
- :mod:`.forms`      pure parsers: posted form fields → a record body, or what is wrong
- :mod:`.ticket`     complaint ticket codes (unambiguous letters, a check character)
- :mod:`.limits`     in-memory budgets: one answer per phone per day, global hourly caps
- :mod:`.counts`     demand counts in memory, flushed per hour to the outbox
- :mod:`.statuses`   complaint statuses that came down signed from the hub

The web adapter is :mod:`kiosk.web.voice`; the words residents read are in its templates.
"""

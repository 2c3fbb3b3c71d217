"""A hub's report keys for kiosk-side tests (the real hub makes them in kiosk hub init)."""

from __future__ import annotations

import dataclasses

from nacl.public import PrivateKey
from nacl.signing import SigningKey

from kiosk.reports.hubkey import HubKey, store_hub_key


@dataclasses.dataclass
class HubKeys:
    seal_private: PrivateKey
    signing: SigningKey

    @property
    def public(self) -> HubKey:
        return HubKey(bytes(self.seal_private.public_key), bytes(self.signing.verify_key))

    def give_to(self, state_dir) -> None:
        """What a verified sync does: the kiosk now knows the hub's report key."""
        store_hub_key(state_dir, self.public.to_json())


def new_hub_keys() -> HubKeys:
    return HubKeys(PrivateKey.generate(), SigningKey.generate())

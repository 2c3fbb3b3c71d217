"""records: exactly once per kiosk, kiosk key and record id (a re-imaged kiosk starts
its ids at 1 again under a new key); rows held so far get their kiosk's enrolled key

Revision ID: 0200_kiosk_key
Revises: 0100_console
Create Date: 2026-12-02 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0200_kiosk_key"
down_revision = "0100_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kiosk_key", sa.String(length=32), server_default="", nullable=False)
        )
    op.execute(
        "UPDATE records SET kiosk_key = COALESCE((SELECT key_fingerprint FROM kiosks "
        "WHERE kiosks.kiosk_id = records.kiosk_id), '')"
    )
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_constraint("uq_records_kiosk_id_record_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_records_kiosk_id_kiosk_key_record_id"),
            ["kiosk_id", "kiosk_key", "record_id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_constraint("uq_records_kiosk_id_kiosk_key_record_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_records_kiosk_id_record_id"), ["kiosk_id", "record_id"]
        )
        batch_op.drop_column("kiosk_key")

"""The first fleet schema: kiosks, tokens, nonces, audit, users, sessions, alerts_sent.

Made by Alembic's autogenerate from kiosk/fleet/service/tables.py, then frozen here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables."""
    op.create_table('alerts_sent',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('audit',
    sa.Column('uid', sa.String(length=32), nullable=False),
    sa.Column('kiosk_id', sa.String(length=32), nullable=False),
    sa.Column('branch', sa.String(length=100), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('time', sa.DateTime(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('code', sa.Integer(), nullable=True),
    sa.Column('predicted', sa.Boolean(), nullable=False),
    sa.Column('similarity', sa.Float(), nullable=True),
    sa.Column('live_status', sa.Integer(), nullable=True),
    sa.Column('compare_status', sa.Integer(), nullable=True),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('id_masked', sa.String(length=32), nullable=False),
    sa.Column('consent', sa.String(length=16), nullable=False),
    sa.Column('notice', sa.String(length=40), nullable=False),
    sa.Column('durations', sa.Text(), nullable=False),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('uid')
    )
    op.create_index('audit_branch_time', 'audit', ['branch', 'time'], unique=False)
    op.create_index('audit_kiosk_seq', 'audit', ['kiosk_id', 'seq'], unique=False)
    op.create_index('audit_time', 'audit', ['time'], unique=False)
    op.create_table('kiosks',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('branch', sa.String(length=100), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('hb_at', sa.DateTime(), nullable=True),
    sa.Column('camera', sa.String(length=8), nullable=False),
    sa.Column('microphone', sa.String(length=8), nullable=False),
    sa.Column('service', sa.String(length=8), nullable=False),
    sa.Column('disk_free_mb', sa.Float(), nullable=True),
    sa.Column('clock_offset_s', sa.Float(), nullable=True),
    sa.Column('last_error', sa.String(length=300), nullable=False),
    sa.Column('outbox', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_kiosks_branch'), 'kiosks', ['branch'], unique=False)
    op.create_table('nonces',
    sa.Column('kiosk_id', sa.String(length=32), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('kiosk_id', 'nonce')
    )
    op.create_index(op.f('ix_nonces_seen_at'), 'nonces', ['seen_at'], unique=False)
    op.create_table('sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_name', sa.String(length=64), nullable=False),
    sa.Column('csrf', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('token_hash')
    )
    op.create_index(op.f('ix_sessions_expires_at'), 'sessions', ['expires_at'], unique=False)
    op.create_table('tokens',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('branch', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('used_by', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('token_hash')
    )
    op.create_table('users',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table('users')
    op.drop_table('tokens')
    op.drop_index(op.f('ix_sessions_expires_at'), table_name='sessions')
    op.drop_table('sessions')
    op.drop_index(op.f('ix_nonces_seen_at'), table_name='nonces')
    op.drop_table('nonces')
    op.drop_index(op.f('ix_kiosks_branch'), table_name='kiosks')
    op.drop_table('kiosks')
    op.drop_index('audit_time', table_name='audit')
    op.drop_index('audit_kiosk_seq', table_name='audit')
    op.drop_index('audit_branch_time', table_name='audit')
    op.drop_table('audit')
    op.drop_table('alerts_sent')

"""speaker photos and private profile links

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 05:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

import forum.db


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('speaker_link',
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['speaker_id'], ['speaker.id'], name=op.f('fk_speaker_link_speaker_id_speaker'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('speaker_id', name=op.f('pk_speaker_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_speaker_link_token_hash'))
    )
    op.create_table('speaker_photo',
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=32), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', forum.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['speaker_id'], ['speaker.id'], name=op.f('fk_speaker_photo_speaker_id_speaker'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('speaker_id', name=op.f('pk_speaker_photo'))
    )


def downgrade():
    op.drop_table('speaker_photo')
    op.drop_table('speaker_link')

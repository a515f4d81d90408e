-- 0004_blocks: block types (a slug, a JSON schema, which fields are secret) and blocks (named,
-- encrypted instances of a type).
--
-- Why this shape:
-- * A block's whole data is stored only as AES-256-GCM ciphertext (`ciphertext`, with its random
--   12-byte `iv` and 16-byte `auth_tag`); the associated data binds it to the block's id, so bytes
--   copied onto another row fail to decrypt. There is no plaintext column at all: a database dump
--   or backup reveals names and types, never values.
-- * `key_id` is a fingerprint (16 hex characters of the key's SHA-256) naming the key that sealed
--   the row. The key itself lives outside the database (SLUICE_ENCRYPTION_KEY or a 0600 file in
--   SLUICE_HOME), so whoever reads the database cannot open it; `sluice block rotate-key` rewrites
--   every row under a new key in one transaction.
-- * Built-in types are upserted by the server at start from its code (`built_in`); a type in use
--   cannot be deleted (the foreign key restricts it too).

create table block_types (
  id uuid primary key,
  slug text not null,
  name text not null,
  description text not null default '',
  schema jsonb not null,
  -- Dotted paths of the fields masked in responses, as a jsonb array of strings.
  secret_fields jsonb not null default '[]',
  built_in boolean not null default false,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint block_types_slug_key unique (slug)
);

create table blocks (
  id uuid primary key,
  block_type_id uuid not null references block_types (id) on delete restrict,
  name text not null,
  ciphertext bytea not null,
  iv bytea not null,
  auth_tag bytea not null,
  key_id text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint blocks_type_name_key unique (block_type_id, name)
);
create index blocks_name_idx on blocks (name, id);
create index blocks_key_id_idx on blocks (key_id);

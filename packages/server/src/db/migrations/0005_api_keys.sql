-- 0005_api_keys: API keys that callers present as `Authorization: Bearer <key>`.
--
-- Why this shape: the key itself is never stored, only its SHA-256 (a random 256-bit key needs no
-- slow hash: there is nothing to guess, see docs/decisions), so a copy of the database does not
-- let anyone in. Requests look keys up by that hash (unique, so indexed). The prefix is the key's
-- first characters, kept so people can tell keys apart in listings. last_used_at is written at most
-- once a minute per key; expires_at is null for a key that never expires.

create table api_keys (
  id uuid primary key,
  name text not null,
  scope text not null check (scope in ('read', 'write', 'admin')),
  key_hash text not null,
  prefix text not null,
  created_at timestamptz not null,
  last_used_at timestamptz,
  expires_at timestamptz,
  constraint api_keys_name_key unique (name),
  constraint api_keys_key_hash_key unique (key_hash)
);

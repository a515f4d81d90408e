-- 0003_variables: named JSON values that flows, deployments and sluice.yaml read at run time.
--
-- Why this shape: names are the key users type (`{{ variables.NAME }}`), so they are unique and
-- listed in name order; the value is any JSON (at most 5,000 characters serialised, checked by the
-- API); tags are a jsonb array like everywhere else.

create table variables (
  id uuid primary key,
  name text not null,
  value jsonb not null,
  tags jsonb not null default '[]',
  created_at timestamptz not null,
  updated_at timestamptz not null,
  constraint variables_name_key unique (name)
);

# Operates the compose stack (docker-compose.yml, settings in .env): `make` lists the targets.
# Guide: docs/deployment.md.

.DEFAULT_GOAL := help
SHELL := /bin/sh

# `docker compose` (the plugin), else the standalone `docker-compose`. Override: make up COMPOSE=...
ifndef COMPOSE
COMPOSE := $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)
endif

# The deployment `make run-etl` runs, and where `make backup-db` writes.
ETL_DEPLOYMENT ?= build-lifecycle/bpl-libraries
BACKUP_DIR ?= backups
BACKUP_FILE := $(BACKUP_DIR)/sluice-$(shell date -u +%Y%m%dT%H%M%SZ).dump
# The command of `make exec-worker`, and the services of `make logs` (default: all).
CMD ?= sh
SERVICE ?=

.PHONY: help env env-file build up down clean restart status logs deploy run-etl check-db-health \
	access-db exec-worker backup-db

help: ## list these targets
	@echo "Usage: make TARGET [VAR=value]   (compose command: $(COMPOSE))"
	@awk 'BEGIN { FS = ":.*## " } /^[a-z][a-z-]*:.*## / { printf "  %-16s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

env: ## write .env from .env.example with fresh random keys and passwords (never overwrites one)
	@if [ -f .env ]; then echo ".env exists; left as it is."; exit 0; fi; \
	pg=$$(openssl rand -hex 16) && minio=$$(openssl rand -hex 16) && \
	key=$$(openssl rand -hex 32) && api=$$(openssl rand -hex 32) && \
	sed -e "s/change-me-postgres/$$pg/g" -e "s/change-me-minio/$$minio/g" \
		-e "s/^SLUICE_ENCRYPTION_KEY=$$/SLUICE_ENCRYPTION_KEY=$$key/" \
		-e "s/^SLUICE_API_KEY=$$/SLUICE_API_KEY=$$api/" .env.example > .env.part && \
	mv .env.part .env && chmod 600 .env && \
	echo "Wrote .env with new passwords and keys. The web UI asks for SLUICE_API_KEY (in .env)."

env-file: ## check that .env exists and sets SLUICE_ENCRYPTION_KEY (build and up run this first)
	@test -f .env || { echo "No .env: run 'make env' (or cp .env.example .env and set its keys)."; exit 1; }
	@grep -Eq '^SLUICE_ENCRYPTION_KEY=[^[:space:]]+' .env || { echo ".env: set SLUICE_ENCRYPTION_KEY (openssl rand -hex 32): the server refuses PostgreSQL without it."; exit 1; }

build: env-file ## build the server, worker and migrate images
	$(COMPOSE) build

up: env-file ## start the stack in the background (migrations run first; the worker waits for a healthy server)
	$(COMPOSE) up -d --build

down: ## stop the stack; volumes (database, MinIO data) are kept
	$(COMPOSE) down

clean: ## stop the stack and DELETE its volumes; asks first unless FORCE=1
	@if [ "$(FORCE)" != 1 ]; then \
		printf 'This deletes the PostgreSQL and MinIO volumes: every run, block, variable and bucket object. Continue? [y/N] '; \
		read answer || answer=; \
		case "$$answer" in y|Y|yes|YES) ;; *) echo "Cancelled: nothing deleted."; exit 1 ;; esac; \
	fi
	$(COMPOSE) down --volumes --remove-orphans

restart: down up ## stop, then start again (picks up .env changes)

status: ## list the services, their state and health
	$(COMPOSE) ps

logs: ## follow the logs (SERVICE=server to pick one)
	$(COMPOSE) logs --follow --tail=200 $(SERVICE)

deploy: ## deploy examples/build-lifecycle from the worker (creates its MinIO blocks and variables when missing)
	$(COMPOSE) exec -T worker sh /app/deploy/setup-lifecycle.sh

run-etl: ## run the build-lifecycle deployment and wait for its end (exit 0 only when it COMPLETED)
	$(COMPOSE) exec -T worker sluice deployment run $(ETL_DEPLOYMENT) --watch

check-db-health: ## is PostgreSQL accepting connections?
	$(COMPOSE) exec -T postgres sh -c 'pg_isready -U "$$POSTGRES_USER" -d "$$POSTGRES_DB"'

access-db: ## a psql shell on the server's database
	$(COMPOSE) exec postgres sh -c 'psql -U "$$POSTGRES_USER" -d "$$POSTGRES_DB"'

exec-worker: ## run CMD in the worker container (default: a shell), e.g. make exec-worker CMD="sluice flow-run ls"
	$(COMPOSE) exec worker $(CMD)

backup-db: ## write a pg_dump of the database into backups/ (BACKUP_DIR=...); restore with pg_restore
	@mkdir -p $(BACKUP_DIR)
	$(COMPOSE) exec -T postgres sh -c 'pg_dump -U "$$POSTGRES_USER" -d "$$POSTGRES_DB" --format=custom' \
		> $(BACKUP_FILE).part
	@mv $(BACKUP_FILE).part $(BACKUP_FILE) && echo "Wrote $(BACKUP_FILE)"

#!/bin/sh
# Deploys the example pipeline (examples/build-lifecycle) on the compose stack: `make deploy` runs it in
# the worker container, where the sluice CLI, the example's code and the MINIO_* settings are.
#   1. s3-bucket blocks on MinIO, created when missing (existing ones are left as they are):
#      edm-recipes and edm-publishing (the pipeline's buckets) and sluice-results (result storage,
#      SLUICE_RESULT_STORAGE), with MINIO_ENDPOINT (set by docker-compose.yml) and the MinIO credentials from .env;
#   2. the variables lifecycle_recipes_storage and lifecycle_publishing_storage, which the
#      project file reads, pointed at the first two;
#   3. `sluice deploy` of examples/build-lifecycle/sluice.yaml (build-lifecycle/bpl-libraries).
# Safe to run again: after changing the example (and rebuilding the worker image), it updates the
# deployment.
set -eu

: "${MINIO_ENDPOINT:?is not set: docker-compose.yml sets it for the worker}"
: "${MINIO_ROOT_USER:?is not set: add it to .env (see .env.example)}"
: "${MINIO_ROOT_PASSWORD:?is not set: add it to .env (see .env.example)}"
project_dir=${LIFECYCLE_PROJECT_DIR:-/app/examples/build-lifecycle}

# The block's data as JSON, built by node so that any character in a credential is quoted right.
bucket_block_data() {
  node -e '
    const env = process.env;
    process.stdout.write(JSON.stringify({
      bucket: process.argv[1],
      endpoint: env.MINIO_ENDPOINT,
      forcePathStyle: true,
      credentials: { accessKeyId: env.MINIO_ROOT_USER, secretAccessKey: env.MINIO_ROOT_PASSWORD },
    }));
  ' "$1"
}

for bucket in edm-recipes edm-publishing sluice-results; do
  if sluice block inspect "s3-bucket/$bucket" >/dev/null 2>&1; then
    echo "Block s3-bucket/$bucket exists; left as it is."
  else
    # Through a pipe, so the secret never appears in a command line.
    bucket_block_data "$bucket" | sluice block create s3-bucket "$bucket" --data-file /dev/stdin
  fi
done

sluice variable set lifecycle_recipes_storage s3-bucket/edm-recipes
sluice variable set lifecycle_publishing_storage s3-bucket/edm-publishing

cd "$project_dir"
sluice deploy --all

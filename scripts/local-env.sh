# Sourced by run.sh and manage.sh: the environment `make run` serves with, unless the caller set it.
mkdir -p var
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  # A key of this installation, made once and kept out of git.
  [ -s var/secret_key ] || "$py" -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key
  export DJANGO_SECRET_KEY=$(cat var/secret_key)
fi
export DJANGO_HTTPS=${DJANGO_HTTPS:-0}   # plain HTTP on 127.0.0.1 for the demo; production sits behind HTTPS
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}

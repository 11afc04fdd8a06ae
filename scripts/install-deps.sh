#!/usr/bin/env bash
# Installs the Debian packages Wharf needs when they are missing (as root, with apt-get).
#   --for-tests   also what the test suite needs (PostgreSQL server binaries; Docker Engine and a
#                 static busybox for the docker driver's tests; HAProxy for the router's; the
#                 AWS CLI v2 and its service models for the AWS endpoint's).
# Prints what it would need and exits 1 when not root and something is missing.
set -euo pipefail

need=()
command -v node >/dev/null || { echo "Node.js 20 or newer is required: install it first." >&2; exit 1; }
if [ "${1:-}" = "--for-tests" ]; then
  ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
  # The docker driver's tests start a private Docker Engine and import a busybox root file system.
  [ -x /usr/sbin/dockerd ] || [ -x /usr/bin/dockerd ] || need+=(docker.io)
  dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || need+=(busybox-static)
  command -v ip >/dev/null || need+=(iproute2)
  # The router's haproxy data plane runs Debian's HAProxy (its tests start their own, on their own folders).
  [ -x /usr/sbin/haproxy ] || need+=(haproxy)
  # The AWS endpoint's tests run Debian's AWS CLI v2 (/usr/bin/aws; a v1 elsewhere on PATH does not
  # count) and read its service models.
  [ -x /usr/bin/aws ] || need+=(awscli)
fi

# An agent running as root starts process tasks as this unprivileged user (WHARF_TASK_USER): no
# login, no home, no password. An agent that is not root runs tasks as itself and needs no user.
task_user="${WHARF_TASK_USER:-wharf-task}"
if [ "$(id -u)" = 0 ] && ! id -u "$task_user" >/dev/null 2>&1; then
  echo "== useradd $task_user (the user process tasks run as)"
  useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --user-group "$task_user"
fi

[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "Missing Debian packages: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "== apt-get install ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}"

#!/usr/bin/env bash
# Makes sure a redis-server binary is installed (Debian package redis-server) for the
# @timtags/ratelimit-redis tests. It does not start a server: the tests' global setup starts a private
# one on a free loopback port (no persistence) and stops it afterwards.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  echo "redis-server present: $(redis-server --version | head -n 1)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "redis-server is missing and apt-get is not available: install Redis (>= 5) and put redis-server on PATH" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
# The Debian package may start a system service where an init system runs; the tests do not use it.
echo "installed: $(redis-server --version | head -n 1)"

#!/usr/bin/env bash
# Builds etcd, kube-apiserver and kube-controller-manager from the versions pinned in go.mod,
# once per pin: the binaries are cached under $CONTROLPLANE_CACHE (default ~/.cache/gpu-autoscaler/controlplane)
# in a directory named after the hash of go.mod, go.sum and the rig's sources. Prints that bin directory.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${CONTROLPLANE_CACHE:-$HOME/.cache/gpu-autoscaler/controlplane}"
key="$(cd "$here" && cat go.mod go.sum cmd/etcd/main.go build.sh | sha256sum | cut -c1-16)"
bin="$cache/$key/bin"
if [[ -x "$bin/kube-apiserver" && -x "$bin/kube-controller-manager" && -x "$bin/etcd" ]]; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || { echo "go is required to build the control plane" >&2; exit 1; }
version="$(awk '$1 == "k8s.io/kubernetes" {print $2}' "$here/go.mod" | head -1)"
[[ -n "$version" ]] || version="$(grep -Eo 'k8s.io/kubernetes v[0-9.]+' "$here/go.mod" | awk '{print $2}')"
minor="$(echo "$version" | cut -d. -f2)"
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$version -X k8s.io/component-base/version.gitMajor=1"
ldflags="$ldflags -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
tmp="$cache/$key/tmp.$$"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
start=$(date +%s)
cd "$here"
echo "building control plane $version into $bin (first build takes a while)" >&2
CGO_ENABLED=0 go build -mod=readonly -buildvcs=false -trimpath -ldflags "$ldflags" -o "$tmp/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager ./cmd/etcd
mkdir -p "$bin"
mv "$tmp"/kube-apiserver "$tmp"/kube-controller-manager "$tmp"/etcd "$bin/"
echo "built in $(( $(date +%s) - start )) s" >&2
echo "$bin"

#!/usr/bin/env bash
# Builds a real Kubernetes control plane from the Go module proxy and caches it; prints the
# folder holding bin/ (kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kwok) and
# kwok-stages.yaml.
#
# The tests start these on loopback (testing/.../KubeControlPlane.java): the operator's tests run
# against the real API server (CEL, server-side apply, status subresource, field managers,
# watches), kube-controller-manager (Deployments get ReplicaSets, owner references really
# garbage-collect), kube-scheduler (pods get nodes) and kwok (fake nodes whose pods become Running and Ready: no kubelet, no
# containers). Cold build about 12 minutes on 2 cores; afterwards instant.
set -euo pipefail
KUBE_VERSION="${SEQUOR_KUBE_VERSION:-v1.37.2}"
ETCD_VERSION="${SEQUOR_ETCD_VERSION:-v3.7.3}"
KWOK_VERSION="${SEQUOR_KWOK_VERSION:-v0.8.0}"
CACHE_ROOT="${SEQUOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sequor}"
OUT="$CACHE_ROOT/kube-$KUBE_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION"
# Each binary is moved into bin/ only once fully built, so "all present" means "complete".
complete() {
  for b in kube-apiserver kube-controller-manager kube-scheduler etcd kwok; do
    [ -x "$OUT/bin/$b" ] || return 1
  done
  [ -f "$OUT/kwok-stages.yaml" ]
}
if complete; then
  echo "$OUT"
  exit 0
fi
command -v go >/dev/null || { echo "Go is needed to build the test control plane (kube-apiserver, etcd)" >&2; exit 1; }

# Two builds at once (two test modules starting together) would double the memory: one waits.
mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/kube-build.lock"
flock 9
if complete; then echo "$OUT"; exit 0; fi

echo "Building the test control plane (kube-apiserver $KUBE_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION) into $OUT (first run only, ~12 min)..." >&2
mkdir -p "$OUT/bin" "$OUT/src"
export GOFLAGS="-mod=mod -buildvcs=false"
export CGO_ENABLED=0
# Peak memory of the kube-apiserver link is ~2.4 GB; two packages at a time fit 2 cores and 24 GB.
PAR="-p ${SEQUOR_GO_PARALLEL:-2}"

# 1. Kubernetes: a wrapper module that requires k8s.io/kubernetes and points every staging module
#    (the `replace ... => ./staging/...` lines of kubernetes' own go.mod) at its published version.
STAGING_VERSION="v0${KUBE_VERSION#v1}"
K8S="$OUT/src/kubernetes"
mkdir -p "$K8S"
(
  cd "$K8S"
  K8S_MOD=$(cd "$K8S" && GOFLAGS= go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  GO_LINE=$(grep -m1 '^go ' "$K8S_MOD")
  {
    echo "module sequor.dev/test-control-plane/kubernetes"
    echo
    echo "$GO_LINE"
    echo
    echo "require k8s.io/kubernetes $KUBE_VERSION"
    echo
    echo "replace ("
    sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\t\1 => \1 '"$STAGING_VERSION"'#p' "$K8S_MOD"
    echo ")"
  } > go.mod
  go get "k8s.io/kubernetes/cmd/kube-apiserver@$KUBE_VERSION" "k8s.io/kubernetes/cmd/kube-controller-manager@$KUBE_VERSION" \
    "k8s.io/kubernetes/cmd/kube-scheduler@$KUBE_VERSION" >&2
  MINOR=$(echo "$KUBE_VERSION" | cut -d. -f2)
  LDFLAGS="-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$MINOR"
  LDFLAGS="$LDFLAGS -X k8s.io/client-go/pkg/version.gitVersion=$KUBE_VERSION -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$MINOR"
  for cmd in kube-apiserver kube-controller-manager kube-scheduler; do
    if [ ! -x "$OUT/bin/$cmd" ]; then
      echo "  $cmd ..." >&2
      go build $PAR -ldflags "$LDFLAGS" -o "$OUT/bin/$cmd.tmp" "k8s.io/kubernetes/cmd/$cmd"
      mv "$OUT/bin/$cmd.tmp" "$OUT/bin/$cmd"
    fi
  done
)

# 2. etcd: its server module has replace directives of its own, so it too builds in a wrapper.
ETCD="$OUT/src/etcd"
mkdir -p "$ETCD"
[ -x "$OUT/bin/etcd" ] || (
  cd "$ETCD"
  printf 'module sequor.dev/test-control-plane/etcd\n\ngo 1.25\n' > go.mod
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >&2
  echo "  etcd ..." >&2
  go build $PAR -ldflags "-s -w" -o "$OUT/bin/etcd.tmp" go.etcd.io/etcd/server/v3
  mv "$OUT/bin/etcd.tmp" "$OUT/bin/etcd"
)

# 3. kwok: fake nodes and pod lifecycles, the standard tool for testing controllers without kubelets.
KWOK="$OUT/src/kwok"
mkdir -p "$KWOK"
[ -x "$OUT/bin/kwok" ] || (
  cd "$KWOK"
  printf 'module sequor.dev/test-control-plane/kwok\n\ngo 1.25\n' > go.mod
  go get "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" >&2
  echo "  kwok ..." >&2
  go build $PAR -ldflags "-s -w" -o "$OUT/bin/kwok.tmp" sigs.k8s.io/kwok/cmd/kwok
  mv "$OUT/bin/kwok.tmp" "$OUT/bin/kwok"
)
# kwok's own "fast" stages (what its kustomize/stage/fast bundles): nodes initialise and stay Ready,
# pods become Running and Ready at once, complete, and go when deleted.
if [ ! -f "$OUT/kwok-stages.yaml" ]; then
  STAGES="$(cd "$KWOK" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage"
  for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
      pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml; do
    echo "---"
    cat "$STAGES/$f"
  done > "$OUT/kwok-stages.yaml.tmp"
  mv "$OUT/kwok-stages.yaml.tmp" "$OUT/kwok-stages.yaml"
fi

"$OUT/bin/kube-apiserver" --version >&2
# sed reads to the end: head would close the pipe early and etcd would die of SIGPIPE (exit 141 under pipefail).
"$OUT/bin/etcd" --version | sed -n 1p >&2
echo "$OUT"

#!/usr/bin/env bash
# Starts etcd, kube-apiserver and kube-controller-manager on 127.0.0.1 with the aggregation layer configured.
#   start.sh STATE_DIR      (builds the binaries first if needed, see build.sh)
# Writes STATE_DIR/kubeconfig (cluster admin), STATE_DIR/env (ports and paths, shell syntax), STATE_DIR/pids,
# the PKI under STATE_DIR/pki and each component's log under STATE_DIR/logs. Stop with stop.sh STATE_DIR.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${1:?usage: start.sh STATE_DIR}"
mkdir -p "$state"/pki "$state"/logs
state="$(cd "$state" && pwd)"
bin="$("$here/build.sh")"
pki="$state/pki"
: > "$state/pids"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
etcd_client=$(free_port); etcd_peer=$(free_port); apiserver=$(free_port); kcm=$(free_port)

# --- PKI: cluster CA (serving + client certs), front-proxy CA, service-account signing key.
ca() { # name subject
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$2" -keyout "$pki/$1.key" -out "$pki/$1.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}
cert() { # name ca subject extensions
  openssl req -newkey rsa:2048 -nodes -subj "$3" -keyout "$pki/$1.key" -out "$pki/$1.csr" 2>/dev/null
  printf '%s\n' "$4" > "$pki/$1.ext"
  openssl x509 -req -in "$pki/$1.csr" -CA "$pki/$2.crt" -CAkey "$pki/$2.key" -CAcreateserial -days 2 \
    -extfile "$pki/$1.ext" -out "$pki/$1.crt" 2>/dev/null
  rm -f "$pki/$1.csr" "$pki/$1.ext"
}
client_ext="keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
ca ca kubernetes-ca
ca front-proxy-ca front-proxy-ca
cert apiserver ca "/CN=kube-apiserver" "keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
cert admin ca "/O=system:masters/CN=admin" "$client_ext"
cert controller-manager ca "/CN=system:kube-controller-manager" "$client_ext"
cert front-proxy-client front-proxy-ca "/CN=front-proxy-client" "$client_ext"
openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null

kubeconfig() { # file user
  cat > "$1" <<KC
apiVersion: v1
kind: Config
clusters:
- name: rig
  cluster:
    server: https://127.0.0.1:$apiserver
    certificate-authority: $pki/ca.crt
users:
- name: $2
  user:
    client-certificate: $pki/$2.crt
    client-key: $pki/$2.key
contexts:
- name: rig
  context: {cluster: rig, user: $2}
current-context: rig
KC
}
kubeconfig "$state/kubeconfig" admin
kubeconfig "$state/controller-manager.kubeconfig" controller-manager

start() { # name args...
  local name=$1; shift
  "$@" > "$state/logs/$name.log" 2>&1 &
  echo "$! $name" >> "$state/pids"
}

start etcd "$bin/etcd" --name rig --data-dir "$state/etcd" \
  --listen-client-urls "http://127.0.0.1:$etcd_client" --advertise-client-urls "http://127.0.0.1:$etcd_client" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-cluster "rig=http://127.0.0.1:$etcd_peer" --unsafe-no-fsync --log-level warn

# Aggregated APIs are reached through their Service's cluster IP or an ExternalName (the rig has no kube-proxy
# and EndpointSlices may not hold loopback addresses, so endpoint routing cannot reach a 127.0.0.1 server).
start kube-apiserver "$bin/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$etcd_client" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$apiserver" \
  --endpoint-reconciler-type none \
  --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
  --client-ca-file "$pki/ca.crt" \
  --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$pki/sa.pub" \
  --service-account-signing-key-file "$pki/sa.key" \
  --service-cluster-ip-range 10.96.0.0/16 \
  --authorization-mode RBAC \
  --requestheader-client-ca-file "$pki/front-proxy-ca.crt" \
  --requestheader-allowed-names front-proxy-client \
  --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
  --requestheader-extra-headers-prefix X-Remote-Extra- \
  --proxy-client-cert-file "$pki/front-proxy-client.crt" --proxy-client-key-file "$pki/front-proxy-client.key" \
  --enable-aggregator-routing=false \
  --profiling=false

curl_api() { curl -sf --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" "https://127.0.0.1:$apiserver$1"; }
for _ in $(seq 1 240); do
  if curl_api /readyz >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl_api /readyz >/dev/null || { echo "kube-apiserver not ready, see $state/logs/kube-apiserver.log" >&2; exit 1; }

start kube-controller-manager "$bin/kube-controller-manager" \
  --kubeconfig "$state/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$state/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$state/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port "$kcm" --leader-elect=false \
  --controllers deployment-controller,replicaset-controller,horizontal-pod-autoscaler-controller,garbage-collector-controller,serviceaccount-controller,namespace-controller,root-ca-certificate-publisher-controller \
  --use-service-account-credentials --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
  --horizontal-pod-autoscaler-sync-period "${HPA_SYNC_PERIOD:-3s}" \
  --profiling=false

for _ in $(seq 1 120); do
  if curl -sfk "https://127.0.0.1:$kcm/healthz" >/dev/null 2>&1; then break; fi
  sleep 0.5
done
curl -sfk "https://127.0.0.1:$kcm/healthz" >/dev/null || { echo "kube-controller-manager not healthy, see $state/logs/kube-controller-manager.log" >&2; exit 1; }

cat > "$state/env" <<ENV
KUBECONFIG=$state/kubeconfig
APISERVER_URL=https://127.0.0.1:$apiserver
APISERVER_PORT=$apiserver
ETCD_PORT=$etcd_client
CONTROLLER_MANAGER_PORT=$kcm
PKI_DIR=$pki
BIN_DIR=$bin
ENV
cat "$state/env"

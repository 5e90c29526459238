#!/usr/bin/env bash
# Makes a CA and a serving certificate for gpu-autoscaler.gpu-autoscaler.svc into tls/ (kept out of git).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p tls
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
  -subj "/CN=gpu-autoscaler-ca" -keyout tls/ca.key -out tls/ca.crt
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -subj "/CN=gpu-autoscaler.gpu-autoscaler.svc" -keyout tls/tls.key -out tls/tls.csr
openssl x509 -req -in tls/tls.csr -CA tls/ca.crt -CAkey tls/ca.key -CAcreateserial -days 825 -out tls/tls.crt \
  -extfile <(printf 'subjectAltName=DNS:gpu-autoscaler,DNS:gpu-autoscaler.gpu-autoscaler,DNS:gpu-autoscaler.gpu-autoscaler.svc\nextendedKeyUsage=serverAuth')
rm -f tls/tls.csr tls/ca.srl
echo "written: tls/ca.crt tls/tls.crt tls/tls.key (keep tls/ca.key safe, or delete it)"

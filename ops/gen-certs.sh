#!/usr/bin/env bash
# Development PKI for gridhub: a CA, a server certificate for hubd and one client certificate per sample user.
# Run `ops/gen-certs.sh --help` for usage. Needs only the openssl command-line tool.
set -euo pipefail

prog=gen-certs
usage() {
    cat <<'EOF'
usage: ops/gen-certs.sh [--user NAME:ORG:ROLE]... DIR
       ops/gen-certs.sh --foreign DIR
       ops/gen-certs.sh --help

Creates DIR (mode 0700) holding a development PKI for gridhub's mutual TLS:
  ca.pem, ca.key           development CA (EC P-256, SHA-256, 3650 days, CA:TRUE)
  server.pem, server.key   hubd: CN=hubd, subjectAltName IP:127.0.0.1, DNS:localhost, serverAuth
  NAME.pem, NAME.key       client certificates (825 days, clientAuth), subject CN=NAME, O=department, OU=role:
                             admin    O=county-data-office  OU=admin
                             steward  O=county-data-office  OU=steward
                             officer  O=public-security     OU=police
                             grid     O=grid-center         OU=grid
                             civil    O=civil-affairs       OU=civil
                             auditor  O=audit-office        OU=auditor
Private keys are 0600. Re-running is safe: when DIR/ca.pem exists the CA is kept and only missing
certificate/key pairs are created; existing ones are left untouched.

options:
  --user NAME:ORG:ROLE  also create a client pair NAME.pem/NAME.key (CN=NAME, O=ORG, OU=ROLE); repeatable.
                        NAME: letters, digits, '.', '_', '-'; ORG and ROLE also allow spaces.
  --foreign DIR         for tests: create an unrelated CA (foreign-ca.pem, foreign-ca.key) and a client pair
                        intruder.pem/intruder.key (CN=intruder, O=public-security, OU=police) signed by it.
                        hubd must refuse it although its subject looks like a police officer's.
  -h, --help            show this help.

check:  openssl verify -CAfile DIR/ca.pem DIR/officer.pem
        openssl x509 -in DIR/officer.pem -noout -subject -ext subjectAltName,extendedKeyUsage
EOF
}

die() { echo "$prog: error: $*" >&2; exit 1; }

users=(
    admin:county-data-office:admin
    steward:county-data-office:steward
    officer:public-security:police
    grid:grid-center:grid
    civil:civil-affairs:civil
    auditor:audit-office:auditor
)
foreign=0
dir=
while (($#)); do
    case $1 in
        -h|--help) usage; exit 0 ;;
        --user)
            (($# >= 2)) || die "--user needs NAME:ORG:ROLE"
            [[ $2 =~ ^[A-Za-z0-9._-]+:[A-Za-z0-9\ ._-]+:[A-Za-z0-9\ ._-]+$ ]] || die "bad --user '$2' (want NAME:ORG:ROLE)"
            case ${2%%:*} in ca|server|foreign-ca|intruder) die "--user name '${2%%:*}' is reserved" ;; esac
            users+=("$2"); shift 2 ;;
        --foreign) foreign=1; shift ;;
        --) shift; break ;;
        -*) die "unknown option '$1' (see --help)" ;;
        *) [[ -z $dir ]] || die "only one DIR, got '$dir' and '$1'"; dir=$1; shift ;;
    esac
done
if (($#)); then [[ -z $dir && $# -eq 1 ]] || die "only one DIR"; dir=$1; fi
[[ -n $dir ]] || { usage >&2; exit 2; }
command -v openssl >/dev/null 2>&1 || die "the 'openssl' command is not installed (Debian: apt-get install openssl)"

umask 077
mkdir -p -- "$dir"
chmod 0700 -- "$dir"
tmp=$(mktemp -d)
trap 'rm -rf -- "$tmp"' EXIT

# One config for every certificate, so the result does not depend on the system's openssl.cnf.
cat >"$tmp/openssl.cnf" <<'EOF'
[req]
distinguished_name = dn
[dn]
[ca_ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF

# Run openssl quietly; on failure show what it said.
ossl() {
    if ! openssl "$@" >"$tmp/out" 2>&1; then
        cat "$tmp/out" >&2
        die "openssl $1 failed"
    fi
}

new_key() {  # FILE
    ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve -out "$1.tmp"
    chmod 0600 "$1.tmp"
    mv -f -- "$1.tmp" "$1"
}

created=()
kept=()

ensure_ca() {  # BASENAME SUBJECT -> sets ca_new=1 when a new CA was made
    local base=$dir/$1
    ca_new=0
    if [[ -e $base.pem ]]; then
        [[ -e $base.key ]] || ca_missing_key=$base.key
        kept+=("$1")
        return
    fi
    new_key "$base.key"
    ossl req -config "$tmp/openssl.cnf" -new -x509 -key "$base.key" -sha256 -days 3650 \
        -subj "$2" -extensions ca_ext -set_serial "0x$(openssl rand -hex 16)" -out "$base.pem.tmp"
    chmod 0644 "$base.pem.tmp"
    mv -f -- "$base.pem.tmp" "$base.pem"
    created+=("$1")
    ca_new=1
}

ensure_leaf() {  # NAME SUBJECT EXTENSIONS CA_BASENAME FORCE
    local name=$1 base=$dir/$1 ca=$dir/$4
    if [[ $5 == 0 && -e $base.pem && -e $base.key ]]; then
        if ! openssl verify -CAfile "$ca.pem" "$base.pem" >/dev/null 2>&1; then
            echo "$prog: warning: existing $base.pem does not verify against $ca.pem (delete it to regenerate)" >&2
        fi
        kept+=("$name")
        return
    fi
    [[ -z ${ca_missing_key:-} ]] || die "$ca_missing_key is missing: cannot sign $name.pem (remove $ca.pem to start a new CA)"
    new_key "$base.key"
    ossl req -config "$tmp/openssl.cnf" -new -key "$base.key" -sha256 -subj "$2" -out "$tmp/$name.csr"
    ossl x509 -req -in "$tmp/$name.csr" -CA "$ca.pem" -CAkey "$ca.key" -set_serial "0x$(openssl rand -hex 16)" \
        -sha256 -days 825 -extfile "$tmp/openssl.cnf" -extensions "$3" -out "$base.pem.tmp"
    chmod 0644 "$base.pem.tmp"
    mv -f -- "$base.pem.tmp" "$base.pem"
    created+=("$name")
}

if ((foreign)); then
    ensure_ca foreign-ca "/O=unrelated-authority/CN=foreign dev CA"
    ensure_leaf intruder "/O=public-security/OU=police/CN=intruder" client_ext foreign-ca "$ca_new"
else
    ensure_ca ca "/O=county-data-office/CN=gridhub dev CA"
    # A new CA invalidates any leaf left from an old one: recreate them all.
    ensure_leaf server "/O=county-data-office/CN=hubd" server_ext ca "$ca_new"
    for u in "${users[@]}"; do
        IFS=: read -r name org role <<<"$u"
        ensure_leaf "$name" "/O=$org/OU=$role/CN=$name" client_ext ca "$ca_new"
    done
fi
chmod 0600 "$dir"/*.key

summary="$prog: $dir:"
((${#created[@]})) && summary+=" created ${created[*]}"
((${#created[@]})) && ((${#kept[@]})) && summary+=";"
((${#kept[@]})) && summary+=" kept ${kept[*]}"
echo "$summary" >&2

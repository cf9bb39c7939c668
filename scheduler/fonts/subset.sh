#!/usr/bin/env bash
# Regenerates NotoSansCJKsc-Regular-GB2312.otf, the CJK font that scheduler/chart.ts renders with.
# Not run by install or CI: the subset file is committed. Needs Debian's `fonttools` (pyftsubset) and
# the `fonts-noto-cjk` .deb (only downloaded and unpacked, not installed):
#   apt-get install fonttools && (cd /tmp && apt-get download fonts-noto-cjk)
#   bash scheduler/fonts/subset.sh /tmp/fonts-noto-cjk_*.deb
# Characters kept: printable ASCII, all of GB2312 (symbols, 6763 hanzi of levels 1 and 2), a few extra
# punctuation marks, and every CJK character found in prisma/seed/ (the plan and the unit directory).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
deb="${1:?usage: subset.sh path/to/fonts-noto-cjk_*.deb}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/deb"
ttc="$work/deb/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

/usr/bin/python3 - "$root" "$work/chars.txt" <<'PY'
import glob, re, sys
root, out = sys.argv[1], sys.argv[2]
chars = set(chr(i) for i in range(0x20, 0x7F))
for hi in range(0xA1, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode('gb2312'))
        except UnicodeDecodeError:
            pass
chars |= set('·—–‘’“”…‰℃←↑→↓√∞≤≥①②③④⑤⑥⑦⑧⑨⑩■□▲△▼▽●○◆◇★☆、。〈〉《》「」『』【】〔〕〖〗～')
for path in glob.glob(f'{root}/prisma/seed/*'):
    with open(path, encoding='utf-8') as f:
        chars |= set(re.findall(r'[\u2000-\u206f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]', f.read()))
with open(out, 'w', encoding='utf-8') as f:
    f.write(''.join(sorted(chars)))
print(f'{len(chars)} characters')
PY

# Face 2 of the collection is "Noto Sans CJK SC". Only kern/ccmp lookups are kept, so the JP/KR/TC
# `locl` variants are not pulled in; vertical metrics are dropped (charts are laid out horizontally).
pyftsubset "$ttc" --font-number=2 --text-file="$work/chars.txt" \
  --output-file="$here/NotoSansCJKsc-Regular-GB2312.otf" \
  --layout-features='kern,ccmp' --no-hinting --name-IDs='*' --drop-tables+=VORG,vhea,vmtx
ls -l "$here/NotoSansCJKsc-Regular-GB2312.otf"

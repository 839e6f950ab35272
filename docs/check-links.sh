#!/usr/bin/env bash
# Checks that every relative link in every tracked *.md file of the repository resolves to a file or folder inside it,
# and that a link's #anchor names a heading of the Markdown file it points to (GitHub's heading ids). Links to
# other sites (http:, https:, mailto:) are not followed. Exits 1 and lists the broken links when there are any.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd -P)"

# GitHub's id of a heading: lower case, punctuation other than '-' and '_' dropped, spaces to '-'
anchors_of() {
  grep -E '^#{1,6} ' "$1" | sed -E 's/^#+ +//; s/ +#*$//' | tr '[:upper:]' '[:lower:]' \
    | sed -E 's/`//g; s/[^a-z0-9 _-]//g; s/ /-/g'
}

broken=0
checked=0
while IFS= read -r file; do
  dir="$(dirname "$file")"
  # inline links [text](target) outside code spans; a target ends at ')' or a space (a title)
  while IFS= read -r target; do
    case "$target" in
      http:*|https:*|mailto:*|'') continue ;;
    esac
    checked=$((checked + 1))
    path="${target%%#*}"
    anchor=""
    [[ "$target" == *"#"* ]] && anchor="${target#*#}"
    if [ -z "$path" ]; then
      resolved="$file"
    else
      resolved="$dir/$path"
    fi
    if [ ! -e "$resolved" ] || [[ "$(realpath -m "$resolved")" != "$root"* ]]; then
      echo "$file: broken link $target"
      broken=$((broken + 1))
      continue
    fi
    if [ -n "$anchor" ] && [[ "$resolved" == *.md ]] && ! anchors_of "$resolved" | grep -qxF "$anchor"; then
      echo "$file: no heading #$anchor in $resolved"
      broken=$((broken + 1))
    fi
  done < <(sed -E 's/`[^`]*`//g' "$file" | grep -oE '\]\([^) ]+' | sed -E 's/^\]\(//; s/^<//; s/>$//')
done < <(git ls-files '*.md')

if [ "$broken" -gt 0 ]; then
  echo "$broken broken of $checked relative links"
  exit 1
fi
echo "all $checked relative links in Markdown files resolve"

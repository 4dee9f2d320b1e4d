#!/bin/sh
# Add desktop-rag to the desktop's application menu, for this user, from where this folder is:
#   ./install-desktop-entry.sh              writes ~/.local/share/applications/desktop-rag.desktop
#                                           and the icon under ~/.local/share/icons/hicolor
#   ./install-desktop-entry.sh --uninstall  removes them
# Run it again after moving the folder (the menu entry names the program by its full path).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${XDG_DATA_HOME:-$HOME/.local/share}
entry="$data/applications/desktop-rag.desktop"
icons="$data/icons/hicolor"
if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$entry" "$icons/256x256/apps/desktop-rag.png" "$icons/scalable/apps/desktop-rag.svg"
  echo "removed $entry"
else
  mkdir -p "$data/applications" "$icons/256x256/apps" "$icons/scalable/apps"
  cp "$here/desktop-rag.png" "$icons/256x256/apps/desktop-rag.png"
  cp "$here/desktop-rag.svg" "$icons/scalable/apps/desktop-rag.svg"
  # Exec names the program by its full path, quoted and escaped as the Desktop Entry spec asks.
  escaped=$(printf '%s' "$here/desktop-rag-app" | sed -e 's/[\\"`$]/\\\\&/g' -e 's/%/%%/g')
  while IFS= read -r line; do
    case $line in
      Exec=*) printf 'Exec="%s"\n' "$escaped" ;;
      *) printf '%s\n' "$line" ;;
    esac
  done < "$here/desktop-rag.desktop" > "$entry.part"
  chmod +x "$entry.part"
  mv "$entry.part" "$entry"
  echo "installed $entry"
fi
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true

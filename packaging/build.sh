#!/usr/bin/env bash
# Build the installers: packaging/build.sh linux|windows|macos
#
#   linux    $BUILD/installers/annotator_VERSION_ARCH.deb and an AppDir,
#            $BUILD/Annotator.AppDir, made into
#            $BUILD/installers/Annotator-VERSION-ARCH.AppImage when appimagetool
#            is on PATH (or APPIMAGETOOL names it)
#   windows  $BUILD/installers/Annotator-VERSION-setup.exe (Inno Setup's iscc on
#            PATH; run from Git Bash or MSYS2 on Windows)
#   macos    $BUILD/installers/Annotator-VERSION.dmg (create-dmg if installed,
#            else hdiutil; run on macOS)
#
# Each OS builds its own installer: PyInstaller does not cross-compile. The Python
# that runs this (PYTHON, default python3) must have the app installed
# (pip install -e .) and PyInstaller (pip install pyinstaller).
# BUILD (default build) is where everything is made.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
BUILD=${BUILD:-build}
export ANNOTATOR_BUILD=$BUILD
TARGET=${1:-}
case "$TARGET" in
    linux|windows|macos) ;;
    *) echo "usage: packaging/build.sh linux|windows|macos" >&2; exit 2 ;;
esac

# (tr: Python on Windows ends the line with CR LF)
VERSION=$("$PYTHON" -c 'import annotator; print(annotator.__version__)' | tr -d '\r')
ID=io.github.annotator.Annotator
OUT=$BUILD/installers
mkdir -p "$OUT"

"$PYTHON" packaging/make_icons.py "$BUILD/icons"
"$PYTHON" -m PyInstaller --noconfirm --clean --distpath "$BUILD/dist" \
    --workpath "$BUILD/work" packaging/annotator.spec
BUNDLE=$BUILD/dist/annotator        # the one-folder app: $BUILD/dist/annotator/annotator

# Where the shared files go under a prefix (usr/ of an AppDir or of a .deb).
install_share() {
    local prefix=$1
    install -Dm644 "packaging/linux/$ID.desktop" "$prefix/share/applications/$ID.desktop"
    install -Dm644 "packaging/linux/$ID.metainfo.xml" "$prefix/share/metainfo/$ID.metainfo.xml"
    install -Dm644 "packaging/linux/$ID.xml" "$prefix/share/mime/packages/$ID.xml"
    install -Dm644 resources/icons/annotator.svg \
        "$prefix/share/icons/hicolor/scalable/apps/$ID.svg"
    for size in 16 32 48 64 128 256 512; do
        install -Dm644 "$BUILD/icons/${size}x${size}.png" \
            "$prefix/share/icons/hicolor/${size}x${size}/apps/$ID.png"
    done
}

build_linux() {
    local arch deb_arch
    arch=$(uname -m)
    # AppDir: AppRun starts the bundle; the .desktop file and icon sit at its top.
    local appdir=$BUILD/Annotator.AppDir
    rm -rf "$appdir"
    mkdir -p "$appdir/usr/lib"
    cp -a "$BUNDLE" "$appdir/usr/lib/annotator"
    mkdir -p "$appdir/usr/bin"
    ln -s ../lib/annotator/annotator "$appdir/usr/bin/annotator"
    install_share "$appdir/usr"
    cp "packaging/linux/$ID.desktop" "$appdir/$ID.desktop"
    cp resources/icons/annotator.svg "$appdir/$ID.svg"
    ln -s "$ID.svg" "$appdir/.DirIcon"
    cat > "$appdir/AppRun" <<'APPRUN'
#!/bin/sh
HERE=$(dirname "$(readlink -f "$0")")
exec "$HERE/usr/lib/annotator/annotator" "$@"
APPRUN
    chmod 755 "$appdir/AppRun"
    local tool=${APPIMAGETOOL:-$(command -v appimagetool || true)}
    if [ -n "$tool" ]; then
        ARCH=$arch "$tool" "$appdir" "$OUT/Annotator-$VERSION-$arch.AppImage"
    else
        echo "appimagetool not found: the AppDir is $appdir (make it an AppImage with" \
             "appimagetool $appdir)" >&2
    fi

    # .deb: the bundle in /opt/annotator, `annotator` on PATH, desktop integration
    # in /usr/share (dpkg triggers refresh the MIME and desktop databases).
    if ! command -v dpkg-deb >/dev/null; then
        echo "dpkg-deb not found: no .deb built" >&2
        return
    fi
    deb_arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
    local root=$BUILD/deb/annotator_${VERSION}_$deb_arch
    rm -rf "$root"
    mkdir -p "$root/opt" "$root/usr/bin" "$root/DEBIAN"
    cp -a "$BUNDLE" "$root/opt/annotator"
    ln -s /opt/annotator/annotator "$root/usr/bin/annotator"
    install_share "$root/usr"
    install -Dm644 LICENSE "$root/usr/share/doc/annotator/copyright"
    local size
    size=$(du -sk "$root" | cut -f1)
    sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$deb_arch/" -e "s/@SIZE@/$size/" \
        packaging/linux/control.in > "$root/DEBIAN/control"
    dpkg-deb --root-owner-group --build "$root" "$OUT/annotator_${VERSION}_$deb_arch.deb"
}

build_windows() {
    # Inno Setup wants Windows paths (pwd -W in Git Bash and MSYS2).
    local source build_dir
    source=$(pwd -W 2>/dev/null || pwd)
    build_dir=$(cd "$BUILD" && (pwd -W 2>/dev/null || pwd))
    iscc "/DAppVersion=$VERSION" "/DSourceDir=$source" "/DBuildDir=$build_dir" \
        packaging/windows/annotator.iss
}

build_macos() {
    local app=$BUILD/dist/Annotator.app dmg="$OUT/Annotator-$VERSION.dmg"
    rm -f "$dmg"
    if command -v create-dmg >/dev/null; then
        create-dmg --volname "Annotator $VERSION" --app-drop-link 400 120 \
            --icon "Annotator.app" 160 120 "$dmg" "$app"
    else
        hdiutil create -volname "Annotator $VERSION" -srcfolder "$app" -ov -format UDZO "$dmg"
    fi
}

"build_$TARGET"
echo "built: $(ls "$OUT")"

#!/bin/sh
# Packs what the device check needs on a GPU machine with no network (see README, GPU): this
# machine's node binary and the engine's node_modules as xz archives in .devcarry/, and the Vulkan
# loader's Debian packages in .gl/ (both git-ignored through .git/info/exclude, ~52 MB together, under
# the device tool's 64 MiB). Then: device run `sh scripts/device-check/check.sh`, carry .gl and .devcarry.
set -e
cd "$(dirname "$0")/../.."
grep -qx '/.devcarry/' .git/info/exclude 2>/dev/null || printf '/.devcarry/\n' >> .git/info/exclude
grep -qx '/.gl/' .git/info/exclude 2>/dev/null || printf '/.gl/\n' >> .git/info/exclude
mkdir -p .devcarry .gl /tmp/amd64/partial
xz -T0 -6 -c "$(readlink -f "$(command -v node)")" > .devcarry/node.xz
# What the engine and tsx need: no Electron, renderer, linters or other platforms' onnxruntime.
tar -cf - --exclude='node_modules/onnxruntime-node/bin/napi-v6/win32' --exclude='node_modules/onnxruntime-node/bin/napi-v6/darwin' \
  --exclude='node_modules/onnxruntime-node/bin/napi-v6/linux/arm64' --exclude='node_modules/electron*' --exclude='node_modules/@electron*' \
  --exclude='node_modules/typescript' --exclude='node_modules/playwright-core' --exclude='node_modules/@rolldown' --exclude='node_modules/@babel' \
  --exclude='node_modules/lightningcss*' --exclude='node_modules/@vue' --exclude='node_modules/vue*' --exclude='node_modules/tone' \
  --exclude='node_modules/standardized-audio-context' --exclude='node_modules/chart.js' --exclude='node_modules/eslint*' \
  --exclude='node_modules/@eslint' --exclude='node_modules/@typescript-eslint' --exclude='node_modules/app-builder*' --exclude='node_modules/dmg-*' \
  --exclude='node_modules/postject' --exclude='node_modules/caniuse-lite' --exclude='node_modules/vite' --exclude='node_modules/.cache' \
  node_modules | xz -T0 -6 > .devcarry/nm.tar.xz
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
apt-get $o update >/dev/null
(cd .gl && apt-get $o download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
du -sh .devcarry .gl

#!/bin/sh
# Runs on the GPU machine (after pack.sh, carrying .gl and .devcarry): the Vulkan loader, node and
# node_modules from the carry; then webgpu.test.ts's child on the GPU (it prints a REPORT line with
# the CPU's and WebGPU's numbers side by side) and gpu-times.ts. Outputs go to $OUT.
cd "$(dirname "$0")/../.."
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
nvidia-smi -L
ICD=""
for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  [ -f "$f" ] && ICD="$f" && break
done
echo "Vulkan driver: ${ICD:-none found}"
export VK_DRIVER_FILES="$ICD" __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
mkdir -p /tmp/nodebin && xz -dc .devcarry/node.xz > /tmp/nodebin/node && chmod +x /tmp/nodebin/node
export PATH=/tmp/nodebin:$PATH
tar -xJf .devcarry/nm.tar.xz
WAVENET_WEBGPU_CHILD=1 VK_ICD_FILENAMES="$ICD" timeout 240 node --import tsx tests/integration/engine/webgpu.test.ts > "$OUT/child.txt" 2>&1
echo "webgpu child: exit $?"
VK_ICD_FILENAMES="$ICD" timeout 240 node --import tsx scripts/device-check/gpu-times.ts > "$OUT/times.txt" 2>&1
echo "timing: exit $?"
grep '^TIMES ' "$OUT/times.txt"

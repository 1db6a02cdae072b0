import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/*
 * What can be known about WebGPU's adapter without starting it. onnxruntime-node exposes neither
 * the adapter nor its name; on Linux, Dawn runs WebGPU on Vulkan, whose driver (ICD) a person may
 * choose with VK_ICD_FILENAMES.
 */

const SOFTWARE = /swiftshader|lvp|lavapipe|llvmpipe/i;

/** A Vulkan driver's name from its ICD file (the library it loads), e.g. "SwiftShader", "NVIDIA". */
function icdName(file: string): string {
  let lib = '';
  try {
    lib = String((JSON.parse(readFileSync(file, 'utf8')) as { ICD?: { library_path?: string } }).ICD?.library_path ?? '');
  } catch {
    // An unreadable ICD file: its own name is all there is.
  }
  const both = `${path.basename(lib)} ${path.basename(file)}`;
  if (/swiftshader/i.test(both)) return 'SwiftShader';
  if (/lvp|lavapipe/i.test(both)) return 'lavapipe';
  if (/nvidia/i.test(both)) return 'NVIDIA';
  if (/radeon|amd/i.test(both)) return 'AMD';
  if (/intel/i.test(both)) return 'Intel';
  return path.basename(lib || file).replace(/^lib/, '').replace(/(_icd)?(\.[a-z0-9_]+)*\.(json|so(\.\d+)*|dll)$/i, '') || 'Vulkan';
}

/** Vendors of GPUs that have Vulkan drivers; other display controllers (a BMC's, an emulated VGA) do not count. */
const PCI_VENDORS: Record<string, string> = { '0x10de': 'NVIDIA', '0x1002': 'AMD', '0x8086': 'Intel', '0x13b5': 'Arm', '0x5143': 'Qualcomm' };

/** Linux: the GPU vendors among the display controllers on the PCI bus (what ONNX Runtime's own discovery reads). */
function gpuVendors(): string[] {
  const root = '/sys/bus/pci/devices';
  const found = new Set<string>();
  try {
    for (const dev of readdirSync(root)) {
      try {
        if (!readFileSync(path.join(root, dev, 'class'), 'utf8').trim().startsWith('0x03')) continue;
        const vendor = PCI_VENDORS[readFileSync(path.join(root, dev, 'vendor'), 'utf8').trim()];
        if (vendor) found.add(vendor);
      } catch {
        // A device without readable class or vendor: not counted.
      }
    }
  } catch {
    // No PCI bus to read (macOS, Windows, a container).
  }
  return [...found];
}

/** Linux: the software Vulkan drivers (lavapipe, SwiftShader) installed where the loader looks by default. */
function softwareIcds(env: NodeJS.ProcessEnv): string[] {
  const dirs = [...(env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':'), '/etc'].map((d) => path.join(d, 'vulkan', 'icd.d'));
  const names = new Set<string>();
  for (const dir of dirs) {
    try {
      for (const f of readdirSync(dir)) {
        const name = f.endsWith('.json') ? icdName(path.join(dir, f)) : '';
        if (SOFTWARE.test(name)) names.add(name);
      }
    } catch {
      // No such folder.
    }
  }
  return [...names];
}

/**
 * The name of the adapter WebGPU runs on, as far as it can be known here: onnxruntime-node does not
 * expose the adapter, so the Vulkan ICD that VK_ICD_FILENAMES (or VK_DRIVER_FILES) names, else the
 * one GPU vendor on the PCI bus; with no GPU there, the software driver that must be the one running.
 * Null when it cannot be told honestly (several vendors, nothing known).
 */
export function webgpuAdapter(env: NodeJS.ProcessEnv = process.env): { name: string; software: boolean } | null {
  const icds = (env.VK_DRIVER_FILES || env.VK_ICD_FILENAMES || '').split(path.delimiter).filter(Boolean);
  if (icds.length > 0) {
    const names = [...new Set(icds.filter((f) => existsSync(f)).map(icdName))];
    if (names.length === 0) return null;
    return { name: names.join(' / '), software: names.every((n) => SOFTWARE.test(n)) };
  }
  if (process.platform !== 'linux') return null;
  const vendors = gpuVendors();
  if (vendors.length === 1) return { name: vendors[0]!, software: false };
  if (vendors.length > 1) return null;
  const software = softwareIcds(env);
  return software.length > 0 ? { name: software.join(' / '), software: true } : null;
}

/** The Vulkan loader can be found by the dynamic linker (Linux: LD_LIBRARY_PATH, the usual folders, ld.so.cache). */
function vulkanLoaderFound(env: NodeJS.ProcessEnv): boolean {
  const lib = 'libvulkan.so.1';
  const triplet = `${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`;
  const dirs = [...(env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), `/usr/lib/${triplet}`, `/lib/${triplet}`, '/usr/lib64', '/lib64', '/usr/lib', '/lib', '/usr/local/lib'];
  if (dirs.some((d) => existsSync(path.join(d, lib)))) return true;
  try {
    return readFileSync('/etc/ld.so.cache').includes(lib);
  } catch {
    return false;
  }
}

/**
 * Why WebGPU cannot start here, known before trying (so that Dawn's own multi-line warnings never
 * reach the terminal): on Linux, no Vulkan loader, or a VK_ICD_FILENAMES naming only missing files.
 * Null when nothing is known to stop it.
 */
export function webgpuBlocker(env: NodeJS.ProcessEnv = process.env): string | null {
  const icds = (env.VK_DRIVER_FILES || env.VK_ICD_FILENAMES || '').split(path.delimiter).filter(Boolean);
  if (icds.length > 0 && icds.every((f) => !existsSync(f))) {
    return `${env.VK_DRIVER_FILES ? 'VK_DRIVER_FILES' : 'VK_ICD_FILENAMES'} names ${icds.join(path.delimiter)}, which does not exist`;
  }
  if (process.platform === 'linux' && !vulkanLoaderFound(env)) return 'no Vulkan loader here: install libvulkan1 and the GPU\'s Vulkan driver';
  return null;
}


{
  # The generation step as native code (step.c): built by `npm run build:native` (node-gyp, run
  # from postinstall; a failed build only means generation runs on ONNX Runtime instead).
  "targets": [
    {
      "target_name": "wavenet_step",
      "sources": ["step.c"],
      "cflags": ["-O3", "-std=c11", "-Wall", "-Wextra"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-std=c11"] }
    }
  ]
}

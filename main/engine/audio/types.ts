/** Decoded audio: one Float32Array per channel, samples in [-1, 1]. */
export interface DecodedAudio {
  sampleRate: number;
  channels: Float32Array[];
  /**
   * What is wrong with audio that was still usable, one line each, saying how much is missing
   * (a cut-off copy, frames that failed their checksum). Absent when nothing is wrong.
   */
  warnings?: string[];
}

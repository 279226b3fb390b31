// Errors of the virtio layer: values with context (which device, which feature or queue)
// and a code a caller can test.
//   ERR_VIRTIO_FEATURE  negotiation failed (the feature named is required and not offered,
//                       or the device refused the set: FEATURES_OK did not stick)
//   ERR_VIRTIO_DEVICE   the device broke the protocol (rings, status, capabilities)
//   ERR_VIRTIO_RESET    the device asked to be reset (DEVICE_NEEDS_RESET) or did not reset

export class VirtioError extends Error {
  /**
   * @param {string} code
   * @param {string} message names the device first.
   * @param {{ device: string, feature?: string, queue?: number }} context
   */
  constructor(code, message, context) {
    super(message);
    this.name = 'VirtioError';
    this.code = code;
    this.device = context.device;
    if (context.feature !== undefined) this.feature = context.feature;
    if (context.queue !== undefined) this.queue = context.queue;
  }
}

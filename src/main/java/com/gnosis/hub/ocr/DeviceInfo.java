package com.gnosis.hub.ocr;

/**
 * The OCR device: what OCR_DEVICE asked for and what is really used.
 *
 * @param requested auto, cpu or gpu
 * @param inUse     cpu or gpu (what the runtime really runs on), or "none" before loading
 * @param gpuAvailable whether the runtime can use a GPU here
 * @param gpuName   the GPU's name when known
 * @param reason    why the device in use differs from the one requested (null when it does not)
 */
public record DeviceInfo(String requested, String inUse, boolean gpuAvailable, String gpuName, String reason) {
}

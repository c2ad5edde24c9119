/**
 * The local image store ({@link dev.berth.daemon.image.DiskImageStore}, the {@code core.spi.ImageStore}
 * port): image configs stored by digest, layers unpacked once as overlay2 does
 * ({@link dev.berth.daemon.image.LayerUnpacker}), names and the set of images in one catalog file
 * replaced atomically, and containers' overlay root filesystems. {@code docker load}
 * ({@link dev.berth.daemon.image.ArchiveLoader}) and {@code docker import}
 * ({@link dev.berth.daemon.image.RootfsImport}) stage their input under {@code image/tmp/} and
 * hand the store a {@link dev.berth.daemon.image.NewImage}, the one way an image gets in (pull uses
 * it too).
 */
package dev.berth.daemon.image;

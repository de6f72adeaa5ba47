package com.gnosis.hub.cli;

import com.gnosis.hub.storage.Storage;

/** Opens the storage a command works on only once its arguments are known to be good (tests hand in their own). */
@FunctionalInterface
interface StorageOpener {
    Storage open();
}

package sluice.crypto.psi;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * X25519 by the system's OpenSSL 3 libcrypto (its constant-time ladder, x86-64 assembly where
 * the CPU has ADX), called through JNA: about 2.5 times BouncyCastle's speed on this project's
 * machine, and PSI on Curve25519 spends its time in this ladder.
 *
 * <p>A prepared key is an {@code EVP_PKEY} holding the scalar in OpenSSL's memory (OpenSSL clears
 * it when the key is freed); each multiplication makes a short-lived peer key and derivation
 * context from it, so one prepared key serves any number of threads. Closing frees it once no
 * multiplication is using it; a key never closed is freed when it becomes unreachable.
 */
final class OpenSslX25519 implements X25519Engine {
  private static final int NID_X25519 = 1034;
  private static final int OPENSSL_VERSION = 0;
  private static final long OPENSSL_3 = 0x30000000L;
  private static final Cleaner CLEANER = Cleaner.create();

  private final String name;

  private OpenSslX25519(String name) {
    this.name = name;
  }

  /**
   * The system's libcrypto, if it loads and is OpenSSL 3 or later.
   *
   * @throws UnsupportedOperationException saying why not
   */
  static OpenSslX25519 load() {
    if (Native.POINTER_SIZE != 8) {
      throw new UnsupportedOperationException("OpenSSL X25519 is used on 64-bit JVMs only");
    }
    try {
      long version = LibCrypto.OpenSSL_version_num().longValue();
      if (version < OPENSSL_3) {
        throw new UnsupportedOperationException("libcrypto is " + LibCrypto.OpenSSL_version(OPENSSL_VERSION)
            + "; OpenSSL 3 or later is needed");
      }
      return new OpenSslX25519(LibCrypto.OpenSSL_version(OPENSSL_VERSION) + " (" + LibCrypto.LIBRARY + ")");
    } catch (LinkageError e) {
      throw new UnsupportedOperationException("OpenSSL's libcrypto did not load: " + e.getMessage());
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Key prepare(byte[] scalar) {
    BouncyCastleX25519.checkLength("scalar", scalar);
    Pointer pkey = LibCrypto.EVP_PKEY_new_raw_private_key(NID_X25519, null, scalar, scalar.length);
    if (pkey == null) {
      throw new IllegalStateException("OpenSSL refused an X25519 private key: " + takeError());
    }
    Handle handle = new Handle(pkey, scalar.clone());
    Prepared key = new Prepared(handle);
    handle.cleanable = CLEANER.register(key, handle);
    return key;
  }

  /** The oldest error on this thread's OpenSSL error queue, and clears the queue. */
  private static String takeError() {
    long code = LibCrypto.ERR_get_error().longValue();
    LibCrypto.ERR_clear_error();
    return code == 0 ? "no reason given" : "error 0x" + Long.toHexString(code);
  }

  /**
   * The native key and a copy of the scalar (to tell a low-order input from a failure on the rare
   * path where OpenSSL refuses), released once: by close, or by the cleaner when the key was
   * dropped unclosed. Multiplications hold the read lock, so neither goes while one runs.
   */
  private static final class Handle implements Runnable {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final byte[] scalar;
    private Pointer pkey;
    private volatile Cleaner.Cleanable cleanable;

    Handle(Pointer pkey, byte[] scalar) {
      this.pkey = pkey;
      this.scalar = scalar;
    }

    @Override
    public void run() {
      lock.writeLock().lock();
      try {
        if (pkey != null) {
          LibCrypto.EVP_PKEY_free(pkey);
          pkey = null;
          Arrays.fill(scalar, (byte) 0);
        }
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  private static final class Prepared implements Key {
    private final Handle handle;

    Prepared(Handle handle) {
      this.handle = handle;
    }

    @Override
    public boolean multiply(byte[] u, byte[] out) {
      BouncyCastleX25519.checkLength("u", u);
      BouncyCastleX25519.checkLength("output", out);
      Lock read = handle.lock.readLock();
      read.lock();
      try {
        if (handle.pkey == null) {
          throw new IllegalStateException("this X25519 key was closed");
        }
        if (derive(handle.pkey, u, out)) {
          return true;
        }
        // OpenSSL refuses to derive an all-zero result (u of low order); any other refusal is a
        // fault. BouncyCastle tells the two apart, and computes the zeros for the caller.
        if (BouncyCastleX25519.multiply(handle.scalar, u, out)) {
          throw new IllegalStateException("OpenSSL's X25519 failed on an input of full order");
        }
        return false;
      } finally {
        read.unlock();
        Reference.reachabilityFence(this);
      }
    }

    private static boolean derive(Pointer pkey, byte[] u, byte[] out) {
      Pointer peer = LibCrypto.EVP_PKEY_new_raw_public_key(NID_X25519, null, u, u.length);
      if (peer == null) {
        throw new IllegalStateException("OpenSSL refused an X25519 u-coordinate: " + takeError());
      }
      Pointer ctx = LibCrypto.EVP_PKEY_CTX_new(pkey, null);
      try {
        if (ctx == null || LibCrypto.EVP_PKEY_derive_init(ctx) != 1
            || LibCrypto.EVP_PKEY_derive_set_peer_ex(ctx, peer, 0) != 1) {
          throw new IllegalStateException("OpenSSL could not set up an X25519 derivation: " + takeError());
        }
        long[] length = {out.length};
        if (LibCrypto.EVP_PKEY_derive(ctx, out, length) == 1 && length[0] == out.length) {
          return true;
        }
        LibCrypto.ERR_clear_error();
        return false;
      } finally {
        if (ctx != null) {
          LibCrypto.EVP_PKEY_CTX_free(ctx);
        }
        LibCrypto.EVP_PKEY_free(peer);
      }
    }

    @Override
    public void close() {
      handle.cleanable.clean();
    }
  }

  /** The few libcrypto functions used, bound directly (JNA direct mapping). */
  private static final class LibCrypto {
    static final String LIBRARY;

    static {
      NativeLibrary library = open();
      Native.register(LibCrypto.class, library);
      LIBRARY = library.getFile() != null ? library.getFile().getName() : library.getName();
    }

    private LibCrypto() {}

    private static NativeLibrary open() {
      UnsatisfiedLinkError last = null;
      for (String name : List.of("libcrypto.so.3", "crypto")) {
        try {
          return NativeLibrary.getInstance(name);
        } catch (UnsatisfiedLinkError e) {
          last = e;
        }
      }
      throw last;
    }

    static native NativeLong OpenSSL_version_num();

    static native String OpenSSL_version(int type);

    static native Pointer EVP_PKEY_new_raw_private_key(int type, Pointer engine, byte[] key, long length);

    static native Pointer EVP_PKEY_new_raw_public_key(int type, Pointer engine, byte[] key, long length);

    static native void EVP_PKEY_free(Pointer key);

    static native Pointer EVP_PKEY_CTX_new(Pointer key, Pointer engine);

    static native void EVP_PKEY_CTX_free(Pointer ctx);

    static native int EVP_PKEY_derive_init(Pointer ctx);

    static native int EVP_PKEY_derive_set_peer_ex(Pointer ctx, Pointer peer, int validatePeer);

    static native int EVP_PKEY_derive(Pointer ctx, byte[] secret, long[] length);

    static native NativeLong ERR_get_error();

    static native void ERR_clear_error();
  }
}

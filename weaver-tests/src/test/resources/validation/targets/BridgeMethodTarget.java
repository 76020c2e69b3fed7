package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

/** @Async methods that implement a generic interface method and override a generic abstract method, so the compiler adds bridge methods. */
public class BridgeMethodTarget {
    interface Loader<K, V> {
        Coroutine<V> load(K key);
    }

    abstract static class Base<T> {
        abstract Coroutine<T> make(T seed);
    }

    static final class Upper implements Loader<String, String> {
        @Async
        @Override
        public Coroutine<String> load(String key) {
            await(sleep(0.01));
            return result(key.toUpperCase());
        }
    }

    static final class Doubler extends Base<Integer> {
        @Async
        @Override
        Coroutine<Integer> make(Integer seed) {
            return result(await(later(seed)) * 2);
        }
    }

    @Async
    public static Coroutine<?> main() {
        Loader<String, String> loader = new Upper();
        System.out.println(await(loader.load("via interface")));
        System.out.println(await(new Upper().load("direct")));
        Base<Integer> base = new Doubler();
        System.out.println(await(base.make(21)));
        return done();
    }
}
/* Expected output:
VIA INTERFACE
DIRECT
42
*/

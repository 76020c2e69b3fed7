package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Generic @Async methods (bounded type variables, several type variables), and an @Async method of a generic class. */
public class GenericMethodsTarget {
    static final class Holder<T> {
        final T value;

        Holder(T value) {
            this.value = value;
        }

        @Async
        Coroutine<T> get() {
            await(sleep(0.01));
            return result(value);
        }
    }

    @Async
    static <T extends Comparable<T>> Coroutine<T> max(T a, T b) {
        T first = await(later(a));
        T second = await(later(b));
        return result(first.compareTo(second) >= 0 ? first : second);
    }

    @Async
    static <K, V> Coroutine<Map<K, List<V>>> group(List<V> values, Function<V, K> key) {
        Map<K, List<V>> out = new TreeMap<>();
        for (V v : values) {
            out.computeIfAbsent(key.apply(v), k -> new ArrayList<>()).add(await(later(v)));
        }
        return result(out);
    }

    @Async
    public static Coroutine<?> main() {
        System.out.println(await(max(3, 8)) + " " + await(max("pear", "apple")));
        System.out.println(await(group(List.of("ab", "c", "de", "f"), String::length)));
        Holder<List<String>> h = new Holder<>(List.of("g"));
        System.out.println(await(h.get()).get(0));
        System.out.println(await(GenericMethodsTarget.<Integer>max(4, 2)) + 1);
        return done();
    }
}
/* Expected output:
8 pear
{1=[c, f], 2=[ab, de]}
g
5
*/

package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.Coroutine;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Await in for-each loops over primitive and reference arrays, lists, map entries and a hand-written Iterable. */
public class ForEachTarget {
    @Async
    public static Coroutine<?> main() {
        int[] primes = {2, 3, 5};
        int total = 0;
        for (int p : primes) {
            total += await(later(p));
        }
        System.out.println("array sum " + total);
        for (String s : await(later(new String[] {"a", "b"}))) {
            System.out.println("elem " + await(later(s)));
        }
        List<Integer> list = List.of(4, 5, 6);
        for (Integer x : list) {
            System.out.println("list " + x + " " + await(later(x * 10)));
        }
        for (Map.Entry<String, Integer> e : new TreeMap<>(Map.of("k1", 1, "k2", 2)).entrySet()) {
            System.out.println(e.getKey() + "=" + await(later(e.getValue())));
        }
        Iterable<Character> letters = () -> "xy".chars().mapToObj(c -> (char) c).iterator();
        for (char c : letters) {
            System.out.println("char " + await(later(c)));
        }
        return done();
    }
}
/* Expected output:
array sum 10
elem a
elem b
list 4 40
list 5 50
list 6 60
k1=1
k2=2
char x
char y
*/

package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.AsyncGenerator;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.GeneratorExit;

import java.util.List;

/**
 * Async generators: emit in every loop kind, in try/catch/finally and switch, with live locals of
 * every type across emits and awaits, a generator consuming another, and aclose running finally code.
 */
public class GeneratorsTarget {
    @Async
    static AsyncGenerator<String> loops(int n) {
        for (int i = 0; i < n; i++) {
            emit("for " + await(later(i)));
        }
        int j = 0;
        while (j < n) {
            emit("while " + j);
            j += await(later(1));
        }
        do {
            emit("do " + j--);
        } while (j > n - 2);
        for (String s : List.of("a", "b")) {
            emit("each " + await(later(s)));
        }
        outer:
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                if (b == 2) {
                    continue outer;
                }
                if (a == 2) {
                    break outer;
                }
                emit("labeled " + a + b);
            }
        }
        return finish();
    }

    @Async
    static AsyncGenerator<String> tryShapes() {
        try {
            emit("in try");
            await(failLater(new IllegalStateException("boom")));
            emit("never");
        } catch (IllegalStateException e) {
            emit("caught " + e.getMessage());
        } finally {
            emit("in finally");
        }
        for (int k = 0; k < 3; k++) {
            switch (k) {
                case 0 -> emit("case zero");
                case 1 -> {
                    String v = await(later("one"));
                    emit("case " + v);
                }
                default -> emit("default " + k);
            }
        }
        return finish();
    }

    @Async
    static AsyncGenerator<String> locals() {
        boolean z = true;
        byte b = 1;
        char c = 'c';
        short s = 2;
        int i = 3;
        long l = 4L;
        float f = 5.5f;
        double d = 6.25;
        Object o = "obj";
        int[] arr = {7};
        emit("start");
        l += await(later(10L));
        emit("z=" + z + " b=" + b + " c=" + c + " s=" + s + " i=" + i);
        d *= await(later(2.0));
        emit("l=" + l + " f=" + f + " d=" + d + " o=" + o + " arr=" + arr[0]);
        return finish();
    }

    @Async
    static AsyncGenerator<Integer> numbers(int n) {
        for (int i = 1; i <= n; i++) {
            emit(await(later(i)));
        }
        return finish();
    }

    @Async
    static AsyncGenerator<Integer> squares(AsyncIterator<Integer> source) {
        while (await(source.hasNext())) {
            int v = source.next();
            emit(v * v);
        }
        return finish();
    }

    @Async
    static AsyncGenerator<Integer> endless() {
        try {
            for (int i = 0; ; i++) {
                emit(i);
            }
        } catch (GeneratorExit e) {
            System.out.println("generator exit");
            throw e;
        } finally {
            System.out.println("cleanup " + await(later("awaited")));
        }
    }

    /** A resource whose close prints, for returns inside try-with-resources. */
    static final class Res implements AutoCloseable {
        private final String name;

        Res(String name) {
            this.name = name;
        }

        @Override
        public void close() {
            System.out.println("closed " + name);
        }
    }

    @Async
    static AsyncGenerator<String> returnsInside(int stopAt) {
        try (Res r = new Res("res")) {
            for (int i = 0; ; i++) {
                if (i == stopAt) {
                    return finish();
                }
                try {
                    emit("inside " + await(later(i)));
                } finally {
                    System.out.println("finally " + i);
                }
            }
        }
    }

    @Async
    static Coroutine<Void> print(AsyncIterator<?> it) {
        while (await(it.hasNext())) {
            System.out.println(it.next());
        }
        return done();
    }

    @Async
    public static Coroutine<?> main() {
        await(print(loops(2)));
        await(print(tryShapes()));
        await(print(locals()));
        await(print(squares(numbers(3))));
        await(print(returnsInside(2)));
        try (AsyncGenerator<Integer> g = endless()) {
            while (await(g.hasNext())) {
                int v = g.next();
                System.out.println("endless " + v);
                if (v == 2) {
                    break;
                }
            }
        }
        return done();
    }
}
/* Expected output:
for 0
for 1
while 0
while 1
do 2
do 1
each a
each b
labeled 00
labeled 01
labeled 10
labeled 11
in try
caught boom
in finally
case zero
case one
default 2
start
z=true b=1 c=c s=2 i=3
l=14 f=5.5 d=12.5 o=obj arr=7
1
4
9
inside 0
finally 0
inside 1
finally 1
closed res
endless 0
endless 1
endless 2
generator exit
cleanup awaited
*/

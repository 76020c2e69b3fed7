package validation.targets;

import static dev.weft.runtime.Aio.*;
import static validation.targets.Sources.*;

import dev.weft.Async;
import dev.weft.runtime.AsyncGenerator;
import dev.weft.runtime.AsyncIterator;
import dev.weft.runtime.Coroutine;
import dev.weft.runtime.GeneratorExit;

/**
 * Emit shapes, woven as Woven.emit: boxed primitives of every type and null, an await inside the
 * emitted value (plain, ternary, a switch expression that emits itself), emits inside switch
 * expressions with values of every width and an uninitialized new on the stack below, emits in
 * nested try/catch/finally blocks that await, and aclose with a catch and two finally blocks that await.
 */
public class EmitShapesTarget {
    @Async
    static AsyncGenerator<Object> primitives() {
        long l = Long.MAX_VALUE;
        double d = -0.0;
        char c = 'x';
        boolean z = true;
        byte b = -128;
        short s = -2;
        float f = 1.5f;
        int i = Integer.MIN_VALUE;
        emit(l); emit(d); emit(c); emit(z); emit(b); emit(s); emit(f); emit(i);
        emit(null);
        emit(l - await(later(1L)));
        emit(l); emit(d * 2); emit(c + 1); emit(!z); emit((char) (c + 1)); emit(b + s); emit(f * 3); emit(i - 1L);
        return finish();
    }

    @Async
    static AsyncGenerator<String> awaitsInside(int k) {
        emit(await(later("a")));
        emit(k > 0 ? await(later("b")) : "no-b");
        emit(k < 0 ? "no-c" : await(later("c")));
        emit(switch (k) {
            case 0 -> "zero";
            case 1 -> await(later("one"));
            default -> {
                emit("inner");
                yield await(later("d")) + "!";
            }
        });
        return finish();
    }

    @Async
    static AsyncGenerator<Object> stackBelow(int k) {
        int x = 100 + switch (k) { case 0 -> 0; default -> { emit("i"); yield 1; } };
        long y = 5L * switch (k) { case 0 -> 0L; default -> { emit("l"); await(later(0)); emit("l2"); yield 3L; } };
        double z = 0.5 + switch (k) { case 0 -> 0.0; default -> { emit(x); yield 0.25; } };
        String s = "p" + x + switch (k) { case 0 -> "z"; default -> { emit(y); yield "q"; } } + z;
        Object o = new StringBuilder(switch (k) { case 0 -> "z"; default -> { emit("sb"); yield "w"; } }).append('!');
        emit(x + " " + y + " " + z + " " + s + " " + o);
        return finish();
    }

    @Async
    static AsyncGenerator<String> tries() {
        try {
            try {
                emit("t1");
                await(failLater(new IllegalStateException("boom")));
                emit("never");
            } catch (IllegalStateException e) {
                emit("caught " + e.getMessage());
                emit("caught after " + await(later("a wait")));
            } finally {
                emit("finally " + await(later(1)));
            }
            outer:
            for (int i = 0; i < 3; i++) {
                try {
                    if (i == 1) {
                        continue outer;
                    }
                    emit("loop " + i);
                } finally {
                    emit("loop finally " + i);
                }
            }
        } finally {
            System.out.println("outer finally");
        }
        emit("last");
        return finish();
    }

    @Async
    static AsyncGenerator<Integer> nestedCleanup() {
        try {
            try {
                for (int i = 0; ; i++) {
                    emit(i);
                }
            } catch (GeneratorExit e) {
                System.out.println("exit " + await(later("caught")));
                throw e;
            } finally {
                System.out.println("inner finally " + await(later("awaited")));
            }
        } finally {
            System.out.println("outer finally " + await(later("awaited")));
        }
    }

    @Async
    static Coroutine<Void> print(AsyncIterator<?> it) {
        while (await(it.hasNext())) {
            Object v = it.next();
            System.out.println(v == null ? "null" : v.getClass().getSimpleName() + ":" + v);
        }
        return done();
    }

    @Async
    public static Coroutine<?> main() {
        await(print(primitives()));
        await(print(awaitsInside(2)));
        await(print(awaitsInside(0)));
        await(print(stackBelow(1)));
        await(print(tries()));
        AsyncGenerator<Integer> g = nestedCleanup();
        while (await(g.hasNext())) {
            int v = g.next();
            System.out.println("took " + v);
            if (v == 1) {
                break;
            }
        }
        await(g.aclose());
        System.out.println("closed, more: " + await(g.hasNext()));
        return done();
    }
}
/* Expected output:
Long:9223372036854775807
Double:-0.0
Character:x
Boolean:true
Byte:-128
Short:-2
Float:1.5
Integer:-2147483648
null
Long:9223372036854775806
Long:9223372036854775807
Double:-0.0
Integer:121
Boolean:false
Character:y
Integer:-130
Float:4.5
Long:-2147483649
String:a
String:b
String:c
String:inner
String:d!
String:a
String:no-b
String:c
String:zero
String:i
String:l
String:l2
Integer:101
Long:15
String:sb
String:101 15 0.75 p101q0.75 w!
String:t1
String:caught boom
String:caught after a wait
String:finally 1
String:loop 0
String:loop finally 0
String:loop finally 1
String:loop 2
String:loop finally 2
outer finally
String:last
took 0
took 1
exit caught
inner finally awaited
outer finally awaited
closed, more: false
*/

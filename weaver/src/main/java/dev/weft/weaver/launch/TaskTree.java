package dev.weft.weaver.launch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code pstree} prints: the tree of which task awaits which, from the tasks nothing awaits down,
 * as CPython 3.14's {@code python -m asyncio pstree}. Under a task come the frames of its await chain,
 * outermost first, each as {@code Class.method File.java:line}; under the innermost frame come the
 * tasks it waits for, each with its own frames, and so on. Identical frames under one node are drawn
 * once, so the children of a {@code gather} or a {@code TaskGroup} hang side by side under the frame
 * that waits for them:
 *
 * <pre>
 * └── (T) report
 *     └──  Waiting.report Waiting.java:46
 *         └── (T) fetch-both
 *             └──  Waiting.fetchBoth Waiting.java:41
 *                 ├── (T) users
 *                 │   └──  Waiting.fetch Waiting.java:33
 *                 └── (T) orders
 *                     └──  Waiting.fetch Waiting.java:33
 * </pre>
 *
 * A graph with a cycle (tasks that wait for each other) has no tree: {@link #lines} throws
 * {@link CycleException} naming each cycle.
 */
final class TaskTree {
    private TaskTree() {
    }

    /** Tasks that wait for each other, as {@code a → b → a}, one list of names per cycle. */
    static final class CycleException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient List<List<String>> cycles;

        CycleException(List<List<String>> cycles) {
            super("the await graph has cycles");
            this.cycles = cycles;
        }

        /** The lines for standard error, CPython's words. */
        List<String> lines() {
            List<String> lines = new ArrayList<>();
            lines.add("ERROR: await-graph contains cycles - cannot print a tree!");
            lines.add("");
            for (List<String> c : cycles) {
                lines.add("cycle: " + String.join(" → ", c));
            }
            return lines;
        }
    }

    /** A node: a task, or a frame under a node. */
    private static final class Node {
        final String label;
        final List<Node> children = new ArrayList<>();
        /** The frame nodes among the children, by label, so that each is drawn once. */
        final Map<String, Node> frames = new LinkedHashMap<>();
        boolean isChild;

        Node(String label) {
            this.label = label;
        }

        Node frame(String frameLabel) {
            return frames.computeIfAbsent(frameLabel, l -> {
                Node n = new Node(" " + l);
                n.isChild = true;
                children.add(n);
                return n;
            });
        }

        void add(Node task) {
            if (!children.contains(task)) {
                task.isChild = true;
                children.add(task);
            }
        }
    }

    static List<String> lines(List<RemoteTask> tasks) throws CycleException {
        Map<String, RemoteTask> byKey = new LinkedHashMap<>();
        for (RemoteTask t : tasks) {
            byKey.put(TaskTable.key(t.loop(), t.id()), t);
        }
        List<List<String>> cycles = cycles(byKey);
        if (!cycles.isEmpty()) {
            throw new CycleException(cycles);
        }
        Map<String, Node> nodes = new LinkedHashMap<>();
        for (Map.Entry<String, RemoteTask> e : byKey.entrySet()) {
            nodes.put(e.getKey(), new Node("(T) " + e.getValue().name()));
        }
        Set<String> awaiting = new LinkedHashSet<>();
        for (RemoteTask child : byKey.values()) {
            for (int awaiter : child.awaitedBy()) {
                String key = TaskTable.key(child.loop(), awaiter);
                RemoteTask parent = byKey.get(key);
                if (parent == null) {
                    continue;
                }
                awaiting.add(key);
                under(nodes.get(key), parent).add(nodes.get(TaskTable.key(child.loop(), child.id())));
            }
        }
        for (Map.Entry<String, RemoteTask> e : byKey.entrySet()) {
            if (!awaiting.contains(e.getKey())) {
                under(nodes.get(e.getKey()), e.getValue());
            }
        }
        List<String> lines = new ArrayList<>();
        Set<Node> drawn = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Node n : nodes.values()) {
            if (!n.isChild) {
                render(n, "", true, lines, drawn);
            }
        }
        return lines;
    }

    /** The node of the innermost frame of {@code task}'s chain under its node, made as needed. */
    private static Node under(Node taskNode, RemoteTask task) {
        Node cur = taskNode;
        List<RemoteTask.Frame> stack = task.stack();
        for (int i = stack.size() - 1; i >= 0; i--) {
            cur = cur.frame(stack.get(i).label());
        }
        return cur;
    }

    /**
     * Draws {@code root}'s tree without recursion (an await chain thousands of tasks deep must not
     * overflow the stack). A task awaited by several others is drawn in full the first time only;
     * later, if it has anything under it, it is one line ending in {@code (drawn above)}, so that shared subtrees cannot multiply
     * the output (a gather of gathers would draw 2^N paths).
     */
    private static void render(Node root, String rootPrefix, boolean rootLast, List<String> lines, Set<Node> drawn) {
        java.util.Deque<Object[]> todo = new java.util.ArrayDeque<>();
        todo.push(new Object[] {root, rootPrefix, rootLast});
        while (!todo.isEmpty()) {
            Object[] item = todo.pop();
            Node node = (Node) item[0];
            String prefix = (String) item[1];
            boolean last = (Boolean) item[2];
            boolean again = node.label.startsWith("(T) ") && !node.children.isEmpty() && !drawn.add(node);
            lines.add(prefix + (last ? "└── " : "├── ") + node.label + (again ? " (drawn above)" : ""));
            if (again) {
                continue;
            }
            String inner = prefix + (last ? "    " : "│   ");
            for (int i = node.children.size() - 1; i >= 0; i--) {
                todo.push(new Object[] {node.children.get(i), inner, i == node.children.size() - 1});
            }
        }
    }

    /** The cycles of the awaiter-to-awaited graph, found by a depth-first search for back edges. */
    private static List<List<String>> cycles(Map<String, RemoteTask> byKey) {
        Map<String, List<String>> awaits = new LinkedHashMap<>();
        for (RemoteTask child : byKey.values()) {
            for (int awaiter : child.awaitedBy()) {
                awaits.computeIfAbsent(TaskTable.key(child.loop(), awaiter), k -> new ArrayList<>())
                        .add(TaskTable.key(child.loop(), child.id()));
            }
        }
        List<List<String>> cycles = new ArrayList<>();
        Map<String, Integer> color = new LinkedHashMap<>();
        List<String> path = new ArrayList<>();
        for (String v : awaits.keySet()) {
            if (!color.containsKey(v)) {
                visit(v, awaits, color, path, cycles, byKey);
            }
        }
        return cycles;
    }

    /** A depth-first search from {@code start} without recursion, recording each back edge's cycle. */
    private static void visit(String start, Map<String, List<String>> awaits, Map<String, Integer> color, List<String> path,
            List<List<String>> cycles, Map<String, RemoteTask> byKey) {
        java.util.Deque<java.util.Iterator<String>> next = new java.util.ArrayDeque<>();
        color.put(start, 1);
        path.add(start);
        next.push(awaits.getOrDefault(start, List.of()).iterator());
        while (!next.isEmpty()) {
            java.util.Iterator<String> it = next.peek();
            if (!it.hasNext()) {
                next.pop();
                color.put(path.remove(path.size() - 1), 2);
                continue;
            }
            String w = it.next();
            Integer c = color.get(w);
            if (c == null) {
                color.put(w, 1);
                path.add(w);
                next.push(awaits.getOrDefault(w, List.of()).iterator());
            } else if (c == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(w), path.size()));
                cycle.add(w);
                cycles.add(cycle.stream().map(k -> byKey.containsKey(k) ? byKey.get(k).name() : k)
                        .collect(Collectors.toList()));
            }
        }
    }
}

// Two builds ran: the first wove main and test classes, the second found nothing changed.
def log = new File(basedir, 'build.log').text
def summaries = (log =~ /woven \d+ methods? in \d+ class(?:es)?, \d+ unchanged skipped/).collect { it }
assert summaries.size() == 4 : "expected a summary line for weave and weave-test in each of two builds, got ${summaries}"
assert summaries[0] == 'woven 2 methods in 1 class, 0 unchanged skipped'
assert summaries[1] == 'woven 1 method in 1 class, 0 unchanged skipped'
assert summaries[2] ==~ /woven 0 methods in 0 classes, [1-9]\d* unchanged skipped/
assert summaries[3] ==~ /woven 0 methods in 0 classes, [1-9]\d* unchanged skipped/
assert log.contains('woven demo/Fetch.class') : 'verbose lists each woven class'
assert log.contains('Tests run: 2, Failures: 0, Errors: 0')
assert new File(basedir, 'target/weft/weave-state.properties').isFile()
assert new File(basedir, 'target/weft/weave-test-state.properties').isFile()
def generated = new File(basedir, 'target/classes/demo').list().findAll { it != 'Fetch.class' }
assert generated.size() == 2 : "one state machine class per @Async method, got ${generated}"
return true

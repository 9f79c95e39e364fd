#!/usr/bin/python3
"""The house-rules check fails when a rule is broken: each breach is put into a copy of the
source tree, and the check must name it (file, line, rule) and exit 1; the tree as it is passes.

    check_rules_test.py SOURCE_DIR
"""

import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE = pathlib.Path(sys.argv.pop(1) if len(sys.argv) > 1 else ".").resolve()
SCRIPT = SOURCE / "scripts" / "check_rules.py"


class CheckRules(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.root = pathlib.Path(self.dir.name)
        for part in ("src", "include", "tests", "bench", "docs"):
            shutil.copytree(SOURCE / part, self.root / part)

    def tearDown(self):
        self.dir.cleanup()

    def run_check(self):
        return subprocess.run(
            ["/usr/bin/python3", str(SCRIPT), str(self.root)],
            capture_output=True,
            text=True,
            check=False,
        )

    def append(self, rel, text):
        path = self.root / rel
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join(lines + text.splitlines()) + "\n", encoding="utf-8")
        return len(lines) + 1  # the line of the first one added

    def assert_breach(self, rel, line, rule):
        result = self.run_check()
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn(f"{rel}:{line}: {rule}:", result.stdout)

    def test_the_tree_as_it_is_passes(self):
        result = self.run_check()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def test_a_real_clock_outside_the_clock_module(self):
        line = self.append("src/domain/date.cpp", "auto t0 = std::chrono::steady_clock::now();")
        self.assert_breach("src/domain/date.cpp", line, "clock")

    def test_a_sleep_in_the_http_server(self):
        line = self.append(
            "src/http/server.cpp", "void nap() { std::this_thread::sleep_for(1s); }"
        )
        self.assert_breach("src/http/server.cpp", line, "clock")

    def test_the_c_time_function(self):
        line = self.append("src/scheduler/scanner.cpp", "long seconds_now() { return time(nullptr); }")
        self.assert_breach("src/scheduler/scanner.cpp", line, "clock")

    def test_a_clock_named_in_a_comment_or_string_is_not_read(self):
        self.append(
            "src/domain/date.cpp",
            '// not std::chrono::system_clock::now(): a Clock\n'
            'const char* kWhy = "steady_clock::now";\n'
            "/* sleep_for(1s)\n   time(nullptr) */",
        )
        result = self.run_check()
        self.assertEqual(result.returncode, 0, result.stdout)

    def test_an_inner_module_including_an_outer_one(self):
        line = self.append("src/storage/open_store.cpp", '#include "dondoc/service/services.hpp"')
        self.assert_breach("src/storage/open_store.cpp", line, "layers")

    def test_the_domain_including_anything(self):
        line = self.append("include/domain/dondoc/domain/task.hpp", '#include "dondoc/config/config.hpp"')
        self.assert_breach("include/domain/dondoc/domain/task.hpp", line, "layers")

    def test_peers_including_each_other(self):
        line = self.append("src/service/audit.cpp", '#include "dondoc/scheduler/scanner.hpp"')
        self.assert_breach("src/service/audit.cpp", line, "layers")

    def test_http_naming_the_store(self):
        line = self.append(
            "src/http/codec.cpp", "void peek(dondoc::storage::Store& s) { (void)s; }"
        )
        self.assert_breach("src/http/codec.cpp", line, "store")

    def test_http_including_the_store_contract(self):
        line = self.append("src/http/codec.cpp", '#include "dondoc/storage/store.hpp"')
        self.assert_breach("src/http/codec.cpp", line, "store")

    def test_http_reaching_the_store_through_the_context(self):
        line = self.append("src/http/api.cpp", "void f() { ctx_.store.read(nullptr); }")
        self.assert_breach("src/http/api.cpp", line, "store")

    def test_a_citation_of_a_heading_that_does_not_exist(self):
        line = self.append("src/domain/date.cpp", '// As docs/design.md, "Deadlines" says.')
        self.assert_breach("src/domain/date.cpp", line, "design")

    def test_a_numbered_citation(self):
        line = self.append("tests/unit/domain/date_test.cpp", "// (design §2)")
        self.assert_breach("tests/unit/domain/date_test.cpp", line, "design")

    def test_a_citation_of_a_heading_that_exists_passes(self):
        self.append("src/domain/date.cpp", '// As docs/design.md, "Time" says.')
        result = self.run_check()
        self.assertEqual(result.returncode, 0, result.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=1)

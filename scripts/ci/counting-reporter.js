'use strict';
// Mocha's spec output, plus the plain closing line "N passed, N failed" from the real
// counts. When CI_COUNTS_FILE is set, the counts are also appended there so .ci/run
// can add up several suites.
const fs = require('node:fs');
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => passed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => failed++);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
      if (process.env.CI_COUNTS_FILE) fs.appendFileSync(process.env.CI_COUNTS_FILE, `${passed} ${failed}\n`);
    });
  }
}

module.exports = CountingReporter;

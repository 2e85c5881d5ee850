import type Mocha from 'mocha';
declare class StatsReporter extends Mocha.reporters.Spec {}
export = StatsReporter;

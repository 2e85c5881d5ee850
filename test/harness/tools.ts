// Where the provisioned tools are (scripts/toolchain.sh exports these before running the tests).
import { existsSync } from 'node:fs';

function required(name: string): string {
  const value = process.env[name];
  if (!value || !existsSync(value)) {
    throw new Error(
      `${name} is not set or does not exist: run the tests through "npm test" (scripts/toolchain.sh provisions the tools).`,
    );
  }
  return value;
}

export const tools = {
  get codeServer(): string {
    return required('AMB_CODE_SERVER');
  },
  get chromium(): string {
    return required('AMB_CHROMIUM');
  },
  get nodeHome(): string {
    return required('AMB_NODE_HOME');
  },
};

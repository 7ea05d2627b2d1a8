// Type-aware lint: the rules that catch floating promises and unsafe any matter
// most in an event-sourced service where a lost await is a lost write.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const folders = ['eventstore', 'command', 'mappings', 'projections', 'query', 'ops', 'bench', 'tests'];

/**
 * One rule per walled folder: an import that climbs out of the folder
 * (`../` up to the top) into any other top-level folder is an error, unless
 * that folder, or that one file of it, is allowed.
 * @param {Record<string, string[]>} allowed
 */
function walls(allowed) {
  /** @param {string} t */
  const esc = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return Object.entries(allowed).map(([folder, allow]) => {
    const whole = new Set(allow.filter((a) => !a.includes('/')));
    const files = allow.filter((a) => a.includes('/'));
    const shut = folders.filter((f) => f !== folder && !whole.has(f));
    const exceptions = files.map((f) => `(?!${esc(f)}$)`).join('');
    // The lookaheads are tried at the folder name, so each names its whole path from there.
    const regex = `^(\\.\\./)+${exceptions}(${shut.map(esc).join('|')})/`;
    return {
      files: [`${folder}/**`],
      ignores: ['**/*.spec.ts'],
      rules: {
        'no-restricted-imports': ['error', { patterns: [{ regex, message: `${folder}/ may import only ${['its own files', ...allow].join(', ')} (../shared/DESIGN.md, "Walls")` }] }],
      },
    };
  });
}

export default tseslint.config(
  { ignores: ['node_modules/**', '.services/**', 'data/**', 'bench/results/**', 'bench/.data/**', 'coverage/**', 'ops/bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // Fastify plugins and handlers are async by contract even when they do not await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  // The walls between the folders (../shared/DESIGN.md, "Walls"): eventstore/
  // imports nothing of ours; command/ only eventstore/; mappings/ only
  // eventstore/; projections/ eventstore/, mappings/ and the read-store ports;
  // query/ never command/, ops/ or bench/; only ops/ composes. Specs may cross,
  // and no production file imports a test aid.
  ...walls({
    eventstore: [],
    command: ['eventstore'],
    mappings: ['eventstore'],
    projections: ['eventstore', 'mappings', 'query/lists/keyedStore.ts', 'query/model/readStore.ts'],
    query: ['eventstore', 'mappings', 'projections', 'query'],
  }),
  {
    files: ['tests/**', '**/*.spec.ts', 'bench/**'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);

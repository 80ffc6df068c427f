/**
 * Jest runs CommonJS; @nestjs/terminus ships ES modules only (Node's own require loads them, Jest's does not).
 * Its few uses of import.meta are rewritten to their CommonJS equivalents, then TypeScript turns the imports into requires.
 */
const ts = require('typescript');

module.exports = {
  process(source, filename) {
    const commonJsSafe = source
      .replace(/^const require = createRequire\(import\.meta\.url\);$/m, '')
      .replace(/import\.meta\.url/g, "require('node:url').pathToFileURL(__filename).href")
      .replace(/import\.meta\.dirname/g, '__dirname')
      .replace(/import\.meta\.resolve\(/g, 'require.resolve(');
    const { outputText } = ts.transpileModule(commonJsSafe, {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, allowJs: true },
    });
    return { code: outputText };
  },
};

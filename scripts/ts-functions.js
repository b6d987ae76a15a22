'use strict';
// Every function of a TypeScript file (declarations, methods, accessors,
// constructors, function expressions, arrow functions), with the lines its
// body spans, braces included. Nested functions are listed too: an inner
// function is also part of its outer one's length.
const fs = require('node:fs');
const ts = require('typescript');

function propertyName(name) {
  if (!name) return '(anonymous)';
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return `[${name.getText()}]`;
}

/** What holds a member: its class, or the variable an object literal is assigned to. */
function ownerName(container) {
  if (ts.isClassLike(container)) return container.name ? container.name.text : '(class)';
  if (ts.isObjectLiteralExpression(container)) {
    const parent = container.parent;
    if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))) {
      return propertyName(parent.name);
    }
    return '(object)';
  }
  return null;
}

function qualified(node, name) {
  const owner = ownerName(node.parent);
  return owner ? `${owner}.${name}` : name;
}

/** A name a reader can find: the function's own, or what it is assigned to or passed to. */
function functionName(node) {
  if (ts.isConstructorDeclaration(node)) return qualified(node, 'constructor');
  if (ts.isGetAccessorDeclaration(node)) return qualified(node, `get ${propertyName(node.name)}`);
  if (ts.isSetAccessorDeclaration(node)) return qualified(node, `set ${propertyName(node.name)}`);
  if (ts.isMethodDeclaration(node)) return qualified(node, propertyName(node.name));
  if (node.name) return propertyName(node.name);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return qualified(parent, propertyName(parent.name));
  }
  if (ts.isBinaryExpression(parent) && parent.right === node) return parent.left.getText();
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) {
    // A long chain of calls (commander's .option(…).option(…)) is named by its last link.
    const callee = parent.expression.getText().replace(/\s+/g, '');
    const short = callee.length <= 40 ? callee : `….${ts.isPropertyAccessExpression(parent.expression) ? parent.expression.name.text : '(call)'}`;
    return `(argument of ${short})`;
  }
  return '(anonymous)';
}

/** [{ name, line, lines }] for each function of the file with a body. */
function tsFunctions(file) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const lineOf = (pos) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const found = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const lines = lineOf(node.body.end) - lineOf(node.body.getStart(source)) + 1;
      found.push({ name: functionName(node), line: lineOf(node.getStart(source)), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

module.exports = { tsFunctions };

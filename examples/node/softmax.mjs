// A small softmax-regression model in plain JavaScript, enough to give the demo real
// per-example gradients: one epoch of minibatch SGD, then g_i = softmax(W x_i + b) - onehot(y_i),
// the gradient of example i's cross-entropy loss with respect to its logits (CRAIG's proxy).

export function trainSoftmax(images, labels, classes, { epochs = 1, batch = 100, rate = 0.5 } = {}) {
  const { data, rows, dim } = images;
  const weights = new Float32Array(dim * classes), bias = new Float32Array(classes);
  const gradW = new Float32Array(dim * classes), gradB = new Float32Array(classes);
  const p = new Float32Array(classes);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let start = 0; start < rows; start += batch) {
      gradW.fill(0); gradB.fill(0);
      const end = Math.min(rows, start + batch);
      for (let i = start; i < end; i++) {
        probabilities(data, i, dim, weights, bias, p);
        p[labels[i]] -= 1;
        for (let j = 0; j < dim; j++) {
          const x = data[i * dim + j];
          if (x !== 0) for (let c = 0; c < classes; c++) gradW[j * classes + c] += x * p[c];
        }
        for (let c = 0; c < classes; c++) gradB[c] += p[c];
      }
      const step = rate / (end - start);
      for (let k = 0; k < gradW.length; k++) weights[k] -= step * gradW[k];
      for (let c = 0; c < classes; c++) bias[c] -= step * gradB[c];
    }
  }
  return { weights, bias, classes, dim };
}

/** Per-example logit gradients (rows x classes) and the model's accuracy on these rows. */
export function logitGradients(model, images, labels) {
  const { classes, dim } = model;
  const gradients = new Float32Array(images.rows * classes);
  const p = new Float32Array(classes);
  let correct = 0;
  for (let i = 0; i < images.rows; i++) {
    probabilities(images.data, i, dim, model.weights, model.bias, p);
    let predicted = 0;
    for (let c = 1; c < classes; c++) if (p[c] > p[predicted]) predicted = c;
    if (predicted === labels[i]) correct++;
    p[labels[i]] -= 1;
    gradients.set(p, i * classes);
  }
  return { gradients, accuracy: correct / images.rows };
}

/** The last layer's weight gradient sum_j w_j g_j x_j^T (classes x dim, flattened) over rows `indices`. */
export function weightGradient(images, gradients, classes, indices, weights) {
  const { data, dim } = images;
  const sum = new Float64Array(classes * dim);
  for (let t = 0; t < indices.length; t++) {
    const i = indices[t], w = weights[t];
    for (let c = 0; c < classes; c++) {
      const g = w * gradients[i * classes + c];
      if (g === 0) continue;
      const row = c * dim;
      for (let j = 0; j < dim; j++) sum[row + j] += g * data[i * dim + j];
    }
  }
  return sum;
}

/** The model's logits W x_i + b for every image (rows x classes, float32). */
export function modelLogits(model, images) {
  const { classes, dim } = model;
  const logits = new Float32Array(images.rows * classes);
  for (let i = 0; i < images.rows; i++) logitsInto(images.data, i, dim, model.weights, model.bias, logits.subarray(i * classes, (i + 1) * classes));
  return logits;
}

function logitsInto(data, i, dim, weights, bias, out) {
  const classes = out.length;
  for (let c = 0; c < classes; c++) out[c] = bias[c];
  for (let j = 0; j < dim; j++) {
    const x = data[i * dim + j];
    if (x !== 0) for (let c = 0; c < classes; c++) out[c] += x * weights[j * classes + c];
  }
}

function probabilities(data, i, dim, weights, bias, out) {
  const classes = out.length;
  logitsInto(data, i, dim, weights, bias, out);
  let largest = -Infinity, total = 0;
  for (let c = 0; c < classes; c++) largest = Math.max(largest, out[c]);
  for (let c = 0; c < classes; c++) { out[c] = Math.exp(out[c] - largest); total += out[c]; }
  for (let c = 0; c < classes; c++) out[c] /= total;
}

//===- QCToLinalg.h - Reference lowering of qc ------------------*- C++ -*-===//

#ifndef QC_CONVERSION_QCTOLINALG_QCTOLINALG_H
#define QC_CONVERSION_QCTOLINALG_QCTOLINALG_H

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::qc {

/// Converts `!qc.qtensor` to its parts: codes `tensor<SHAPE x iB>`, scales,
/// zero points, outer scales. Part element types that LLVM cannot hold (f8,
/// f6, f4, E8M0) become signless integers of the same width (bit patterns).
class QCToLinalgTypeConverter : public TypeConverter {
public:
  QCToLinalgTypeConverter();
};

/// Patterns lowering every qc op to linalg/tensor/arith/math.
void populateQCToLinalgConversionPatterns(const TypeConverter &converter,
                                          RewritePatternSet &patterns);

} // namespace mlir::qc

#endif // QC_CONVERSION_QCTOLINALG_QCTOLINALG_H
